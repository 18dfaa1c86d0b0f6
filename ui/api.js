// @ts-check
// Typed wrappers over the Tauri commands. The UI never talks HTTP itself.
// Errors arrive as {code, message, hint, fields?}; anything else is
// normalised so views can always show message and hint. The payload types are in
// types.js (generated from the Rust types: ui/bindings/); every promise here rejects with a CommandError.

/**
 * @import {About, AuthKind, ConnectorView, EntryInput, ExportedEntry, InstallInput, KeychainStatus, MethodOutput,
 *   MethodProgress, MethodRequest, Page, PageQuery, Preflight, SaveOutcome, ScopeInfo, ScopeReport, SignedIn,
 *   StatusEvent, RotationOutcome, InstallLink, SecretExpired} from './types.js'
 * @import {LegacyApp, RegistrationGuide, TestSignInInput, TestedSignIn} from './types.js'
 */

import { invoke } from './vendor/tauri-api/core.js';

// Events are only listened to on the Installations view: the event module is
// fetched then, not with the first screen. Resolves to the unlisten function, as listen does.
/**
 * @template T
 * @param {string} event
 * @param {(event: {payload: T}) => void} handler
 * @returns {Promise<() => void>}
 */
const listen = async (event, handler) => (await import('./vendor/tauri-api/event.js')).listen(event, handler);

/**
 * @template T
 * @param {string} command
 * @param {Record<string, unknown>} [args]
 * @returns {Promise<T>} rejects with a CommandError
 */
async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err) throw err;
    throw { code: 'unknown', message: String(err), hint: 'Try again. If it repeats, check the log file.' };
  }
}

/**
 * What the shell handed the page before its first frame (boot_data.rs): the first screen
 * reads it instead of asking. Each value is read once, and only on the window's first
 * load: a reload asks the core, since the snapshot is as old as the window.
 * @type {{about?: About, connectors?: ConnectorView[], installations?: number}}
 */
const boot = (!sessionStorage.getItem('booted') && /** @type {any} */ (globalThis).__CONNECTOR_CONSOLE_BOOT__) || {};
sessionStorage.setItem('booted', '1');

/**
 * @template {'about'|'connectors'|'installations'} K
 * @param {K} key
 * @param {() => Promise<NonNullable<(typeof boot)[K]>>} ask
 */
function firstFromBoot(key, ask) {
  const value = boot[key];
  delete boot[key];
  // A count of 0 is an answer too.
  return value !== undefined ? Promise.resolve(/** @type {NonNullable<(typeof boot)[K]>} */ (value)) : ask();
}

/** @returns {Promise<About>} */
export const appInfo = () => firstFromBoot('about', () => call('app_info'));
/** @returns {Promise<KeychainStatus>} */
export const keychainStatus = () => call('keychain_status');

/** @returns {Promise<ScopeInfo[]>} */
export const scopeCatalog = () => call('scope_catalog');
/**
 * @param {string} text scope strings or registration-page names
 * @returns {Promise<ScopeReport>}
 */
export const scopeReport = (text) => call('scope_report', { text });

/** @returns {Promise<ConnectorView[]>} */
export const libraryList = () => firstFromBoot('connectors', () => call('library_list'));
/**
 * @param {EntryInput} input
 * @returns {Promise<SaveOutcome>}
 */
export const librarySave = (input) => call('library_save', { input });
/**
 * @param {string} connector
 * @returns {Promise<ConnectorView>}
 */
export const libraryClear = (connector) => call('library_clear', { connector });
/**
 * A policy-managed entry's Client Secret, kept in this machine's keychain.
 * @param {string} connector
 * @param {string} secret
 * @returns {Promise<ConnectorView>}
 */
export const librarySaveSecret = (connector, secret) => call('library_save_secret', { connector, secret });
/**
 * The redirect URI to register for an app with these values as typed (the core fills it in), or
 * null while a value it needs is missing.
 * @param {string} connector
 * @param {string} authType
 * @param {Record<string, string>} values
 * @returns {Promise<string|null>}
 */
export const libraryRedirectUri = (connector, authType, values) => call('library_redirect_uri', { connector, authType, values });
/**
 * A shared legacy app's next Client Secret: every installation is renewed with it, then it is the entry's.
 * @param {string} connector
 * @param {string} secret
 * @param {string|null} expires `YYYY-MM-DD`
 * @returns {Promise<RotationOutcome>}
 */
export const libraryRotateSecret = (connector, secret, expires) => call('library_rotate_secret', { connector, secret, expires });
/**
 * The entry as JSON text, without its secret.
 * @param {string} connector
 * @returns {Promise<string>}
 */
export const libraryExport = (connector) => call('library_export', { connector });
/**
 * Saves the export as a JSON file; resolves to its path.
 * @param {string} connector
 * @returns {Promise<string>}
 */
export const libraryExportFile = (connector) => call('library_export_file', { connector });
/**
 * @param {string} text an exported entry
 * @returns {Promise<ExportedEntry>}
 */
export const libraryImport = (text) => call('library_import', { text });
/**
 * @param {string} connector
 * @param {AuthKind} authType
 * @returns {Promise<void>}
 */
export const openRegistrationPage = (connector, authType) => call('open_registration_page', { connector, authType });
/**
 * Opens a tenant's admin-consent page (the `link` of an `admin_consent_required` error) in the browser.
 * @param {string} url
 * @returns {Promise<void>}
 */
export const openAdminConsent = (url) => call('open_admin_consent', { url });
/**
 * What to register in Entra ID to replace a legacy app.
 * @param {LegacyApp} of
 * @returns {Promise<RegistrationGuide>}
 */
export const migrationGuide = (of) => call('migration_guide', { of });
/**
 * Saves the Entra app beside the connector's legacy Library entry, which stays in force.
 * @param {{connector: string, values: Record<string, string>}} input
 * @returns {Promise<void>}
 */
export const migrationPrepare = (input) => call('migration_prepare', { input });
/**
 * Puts the connector's other entry in force (to Entra ID, or back to legacy).
 * @param {string} connector
 * @returns {Promise<void>}
 */
export const migrationSwitch = (connector) => call('migration_switch', { connector });
/**
 * A test sign-in with the Entra app prepared beside the legacy entry, before the switch: the
 * usual sign-in (Cancel with signInCancel); nothing is installed and no token is kept.
 * @param {TestSignInInput} input
 * @returns {Promise<TestedSignIn>}
 */
export const migrationTestSignIn = (input) => call('migration_test_sign_in', { input });
/**
 * Removes the legacy entry and its Client Secret once no installation uses it.
 * @param {string} connector
 * @returns {Promise<void>}
 */
export const migrationFinish = (connector) => call('migration_finish', { connector });

/**
 * One page of installations and the counts: {total, matching, offset, rows}.
 * @param {PageQuery} [query]
 * @returns {Promise<Page>}
 */
export const installationsList = (query) => call('installations_list', { query });
/**
 * Each shared app whose Client Secret expired, with the installations that must sign in again.
 * @returns {Promise<SecretExpired[]>}
 */
export const installationsSecretExpired = () => call('installations_secret_expired');
/**
 * How many installations there are: the first screen's count came with the page.
 * @returns {Promise<number>}
 */
export const installationCount = () =>
  firstFromBoot('installations', () => installationsList({ offset: 0, limit: 1, search: '', status: null }).then((p) => p.total));
/**
 * @param {InstallInput} input
 * @returns {Promise<Preflight>}
 */
export const installPreflight = (input) => call('install_preflight', { input });
/**
 * Resolves when the sign-in window has answered (or was closed, or timed out).
 * @param {InstallInput} input
 * @param {boolean} [copyLink] the browser didn't open: hand the sign-in link to onSignInLink instead
 * @returns {Promise<SignedIn>}
 */
export const signIn = (input, copyLink = false) => call('sign_in', { input, copyLink });
/**
 * Calls `handler(link)` when a sign-in started with `copyLink` has its link.
 * @param {(link: string) => void} handler
 * @returns {Promise<() => void>} the unlisten function
 */
export const onSignInLink = (handler) => listen('sign-in-link', (e) => handler(String(e.payload)));
/** @returns {Promise<void>} */
export const signInCancel = () => call('sign_in_cancel');
/**
 * @param {string} id
 * @returns {Promise<string>} what the test found, in words
 */
export const installationTest = (id) => call('installation_test', { id });
/**
 * Saves a redacted diagnostics file (Downloads); resolves to its path.
 * @returns {Promise<string>}
 */
export const diagnosticsSave = () => call('diagnostics_save');
/**
 * Opens the folder diagnostics are saved in, in the file manager.
 * @returns {Promise<void>}
 */
export const diagnosticsShowFolder = () => call('diagnostics_show_folder');
/**
 * Runs a connector method; `run` names this run for methodCancel and progress events.
 * @param {string} run
 * @param {MethodRequest} request
 * @returns {Promise<MethodOutput>}
 */
export const methodRun = (run, request) => call('method_run', { run, request });
/**
 * @param {string} run
 * @returns {Promise<void>}
 */
export const methodCancel = (run) => call('method_cancel', { run });
/**
 * Calls `handler({run, message})` when a running method has to wait (Retry-After).
 * @param {(progress: MethodProgress) => void} handler
 * @returns {Promise<() => void>} the unlisten function
 */
export const onMethodProgress = (handler) => listen('method-progress', (e) => handler(/** @type {MethodProgress} */ (e.payload)));
/**
 * @param {string} id
 * @returns {Promise<void>}
 */
export const installationUninstall = (id) => call('installation_uninstall', { id });
/**
 * Calls `handler(event)` on every installation status change.
 * @param {(event: StatusEvent) => void} handler
 * @returns {Promise<() => void>} the unlisten function
 */
export const onInstallationStatus = (handler) => listen('installation-status', (e) => handler(/** @type {StatusEvent} */ (e.payload)));
/**
 * Calls `handler()` when status events were missed (a burst): re-read the list.
 * @param {() => void} handler
 * @returns {Promise<() => void>} the unlisten function
 */
export const onInstallationsResync = (handler) => listen('installations-resync', () => handler());
/**
 * Entra: sign in in a window inside the app (true) or in the browser (false).
 * @param {boolean} embedded
 * @returns {Promise<void>}
 */
export const entraEmbeddedSet = (embedded) => call('entra_embedded_set', { embedded });
/** @returns {Promise<number>} how long a sign-in waits, in seconds */
export const signInTimeoutGet = () => call('sign_in_timeout_get');
/**
 * @param {number} minutes
 * @returns {Promise<void>}
 */
export const signInTimeoutSet = (minutes) => call('sign_in_timeout_set', { minutes });
/** @returns {Promise<import('./bindings/index').NotificationSetting>} the "Desktop notifications" setting */
export const notificationsGet = () => call('notifications_get');
/**
 * @param {boolean} enabled
 * @returns {Promise<void>}
 */
export const notificationsSet = (enabled) => call('notifications_set', { enabled });
/**
 * The install link the window was started with or handed, parsed; null when there is none.
 * @returns {Promise<InstallLink|null>} rejects when the link can't be used (the reason is the message)
 */
export const installLinkTake = () => call('install_link_take');
/**
 * Calls `handler()` when a later launch hands over an install link: take it with installLinkTake.
 * @param {() => void} handler
 * @returns {Promise<() => void>} the unlisten function
 */
export const onInstallLink = (handler) => listen('install-link', () => handler());
