// Typed wrappers over the Tauri commands. The UI never talks HTTP itself.
// Errors arrive as {code, message, hint, fields?}; anything else is
// normalised so views can always show message and hint.

import { invoke } from './vendor/tauri-api/core.js';

// Events are only listened to on the Installations view: the event module is
// fetched then, not with the first screen. Resolves to the unlisten function, as listen does.
const listen = async (event, handler) => (await import('./vendor/tauri-api/event.js')).listen(event, handler);

async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err) throw err;
    throw { code: 'unknown', message: String(err), hint: 'Try again. If it repeats, check the log file.' };
  }
}

export const appInfo = () => call('app_info');
export const keychainStatus = () => call('keychain_status');

export const scopeCatalog = () => call('scope_catalog');
/** @returns {Promise<{value: string, names: string[], retired: string[], included: string[], warning: string|null}>} */
export const scopeReport = (text) => call('scope_report', { text });

export const libraryList = () => call('library_list');
/** @param {{connector: string, auth_type: string, values: Object<string,string>, secret: string|null}} input */
export const librarySave = (input) => call('library_save', { input });
export const libraryClear = (connector) => call('library_clear', { connector });
/** A policy-managed entry's Client Secret, kept in this machine's keychain. */
export const librarySaveSecret = (connector, secret) => call('library_save_secret', { connector, secret });
export const libraryExport = (connector) => call('library_export', { connector });
/** Saves the export as a JSON file; resolves to its path. */
export const libraryExportFile = (connector) => call('library_export_file', { connector });
export const libraryImport = (text) => call('library_import', { text });
export const openRegistrationPage = (connector, authType) => call('open_registration_page', { connector, authType });

/** One page of installations and the counts: {total, matching, offset, rows}. */
export const installationsList = (query) => call('installations_list', { query });
/** @param {{connector: string, organization: string, project: string, own_app: object|null, scopes_confirmed: boolean, reauth: string|null}} input */
export const installPreflight = (input) => call('install_preflight', { input });
/** Resolves when the sign-in window has answered (or was closed, or timed out). */
export const signIn = (input) => call('sign_in', { input });
export const signInCancel = () => call('sign_in_cancel');
export const installationTest = (id) => call('installation_test', { id });
/** Saves a redacted diagnostics file (Downloads); resolves to its path. */
export const diagnosticsSave = () => call('diagnostics_save');
/** Runs a connector method; `run` names this run for methodCancel and progress events. */
export const methodRun = (run, request) => call('method_run', { run, request });
export const methodCancel = (run) => call('method_cancel', { run });
/** Calls `handler({run, message})` when a running method has to wait (Retry-After). */
export const onMethodProgress = (handler) => listen('method-progress', (e) => handler(e.payload));
export const installationUninstall = (id) => call('installation_uninstall', { id });
/** Calls `handler(event)` on every installation status change. */
export const onInstallationStatus = (handler) => listen('installation-status', (e) => handler(e.payload));
/** Calls `handler()` when status events were missed (a burst): re-read the list. */
export const onInstallationsResync = (handler) => listen('installations-resync', () => handler());
export const entraEmbeddedSet = (embedded) => call('entra_embedded_set', { embedded });
export const signInTimeoutGet = () => call('sign_in_timeout_get');
export const signInTimeoutSet = (minutes) => call('sign_in_timeout_set', { minutes });
