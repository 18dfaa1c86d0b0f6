// @ts-check
// The shapes the Tauri commands take and return, as JSDoc types: TypeScript checks
// ui/ against them (scripts/lint.sh). Each mirrors a serde type in src-tauri/ (named
// where the names differ). `T|null` is a Rust Option that serialises as null; an
// optional property (`[name]`) is one skipped when empty. Types only: nothing here runs.

// Errors

/**
 * What every command rejects with (`UiError`, src-tauri/commands/error.rs). api.js turns
 * anything else into one with code `unknown`.
 * @typedef {object} CommandError
 * @property {string} code Stable, snake_case; views switch on it.
 * @property {string} message What happened.
 * @property {string} hint What to do about it.
 * @property {string} [detail] The platform's own words (e.g. a D-Bus error).
 * @property {FieldError[]} [fields] Per-field problems, for forms.
 * @property {{token: string, choices: string[]}} [did_you_mean] An unknown scope as typed and its closest matches.
 * @property {string} [link] A link that fixes it when the right person opens it (a tenant's admin-consent page).
 */

/**
 * @typedef {object} FieldError
 * @property {string} field
 * @property {string} message
 */

// The app and the keychain

/**
 * `KeychainStatus` (src-tauri/commands/system.rs): `error` is set exactly when unavailable.
 * @typedef {{available: true, error: null} | {available: false, error: CommandError}} KeychainStatus
 */

/**
 * `About` (core services/context.rs).
 * @typedef {object} About
 * @property {string} name
 * @property {string} version
 * @property {string} data_dir
 * @property {Endpoints} endpoints
 * @property {Notice[]} notices
 */

/**
 * @typedef {object} Endpoints
 * @property {string} vssps
 * @property {string} login
 * @property {string} devops
 * @property {string} audit
 * @property {string|null} overridden_by
 */

/** @typedef {'settings_quarantined'|'settings_unreadable'|'settings_too_new'|'policy_ignored'|'endpoint_override'} NoticeCode */

/**
 * @typedef {object} Notice
 * @property {NoticeCode} code
 * @property {string} message
 */

// Scopes

/**
 * `ScopeInfo` (core model/scopes/catalog.rs).
 * @typedef {object} ScopeInfo
 * @property {string} scope e.g. `vso.work_full`
 * @property {string} name The registration page's name, e.g. "Work items (full)".
 * @property {string} category
 * @property {boolean} high_privilege
 * @property {string[]} includes
 * @property {string} description
 * @property {boolean} retired
 * @property {boolean} entra_only
 */

/**
 * `ScopeReport` (core model/scopes/report.rs).
 * @typedef {object} ScopeReport
 * @property {string} value The exact string that will be sent.
 * @property {string[]} names
 * @property {string[]} retired
 * @property {string[]} included Scopes granted through inclusion, by name.
 * @property {string|null} warning
 */

// Connector manifests (core model/connectors/mod.rs)

/** @typedef {'entra'|'legacy'} AuthKind */

/**
 * @typedef {object} Manifest
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {string} recommended_scope
 * @property {string} recommended_scope_note
 * @property {{window: string, browser: string}} sign_in_waiting
 * @property {AuthOption[]} auth_types
 * @property {ManifestField[]} install_fields
 * @property {Record<string, string>} endpoints
 * @property {Method[]} methods
 */

/**
 * @typedef {object} AuthOption
 * @property {AuthKind} id
 * @property {string} label
 * @property {string} explanation
 * @property {string} registration_url
 * @property {string|null} redirect_uri
 * @property {string|null} redirect_template e.g. `https://{service_domain}/connector/callback`
 * @property {string} redirect_note
 * @property {SignInCopy} sign_in_copy
 * @property {ManifestField[]} fields
 */

/**
 * @typedef {object} SignInCopy
 * @property {string} callback_note
 * @property {string} trouble
 * @property {string} [flow_choice_help]
 */

/** @typedef {'guid'|'secret'|'scopes'|'tenant'|'domain'|'organization'|'project'|'date'} FieldKind */

/**
 * A form field of an auth type or of Install (`Field`).
 * @typedef {object} ManifestField
 * @property {string} id
 * @property {string} label
 * @property {FieldKind} kind
 * @property {boolean} required
 * @property {string} help
 */

/** @typedef {'list_work_items'|'get_work_item'|'create_work_item'|'list_accounts'|'query_audit_log'|'get_profile'|'get_project'} MethodId */

/**
 * @typedef {object} Method
 * @property {MethodId} id
 * @property {string} name
 * @property {string[]} any_of
 * @property {string} description
 * @property {MethodInput[]} inputs
 * @property {{id: string, label: string}[]} columns
 */

/**
 * @typedef {object} MethodInput
 * @property {string} id
 * @property {string} label
 * @property {'text'|'textarea'} kind
 * @property {boolean} required
 * @property {string} default
 * @property {string} help
 */

// The Connector Library (core services/library, model/library_entry.rs)

/**
 * @typedef {object} LibraryEntry
 * @property {AuthKind} auth_type
 * @property {Record<string, string>} values
 * @property {boolean} has_secret
 * @property {number} updated_at Seconds since the Unix epoch.
 */

/** @typedef {'managed'|'shared'|'bring_your_own'} LibraryMode */

/**
 * A connector and its library entry: `mode` is bring_your_own exactly when there is none.
 * @typedef {ConnectorViewBase & ({mode: 'managed'|'shared', entry: LibraryEntry} | {mode: 'bring_your_own', entry: null})} ConnectorView
 */

/**
 * @typedef {object} ConnectorViewBase
 * @property {Manifest} manifest
 * @property {string|null} redirect_uri
 * @property {number} installations_using
 * @property {string|null} secret_warning
 * @property {LibraryEntry|null} alternate during a move to Entra ID, the other entry
 * @property {number} shared_legacy shared installations on legacy
 * @property {number} shared_entra shared installations on Entra ID
 * @property {string|null} migrate_by a managed entry's move to Entra ID: the policy file's date
 */

/**
 * What the entry form submits.
 * @typedef {object} EntryInput
 * @property {string} connector
 * @property {string} auth_type
 * @property {Record<string, string>} [values]
 * @property {string|null} [secret] Blank or null keeps a stored secret.
 */

/**
 * @typedef {object} SaveOutcome
 * @property {ConnectorView} connector
 * @property {string[]} warnings
 */

/**
 * @typedef {object} ExportedEntry
 * @property {string} format
 * @property {number} version
 * @property {string} connector
 * @property {string} auth_type
 * @property {Record<string, string>} values
 * @property {boolean} needs_secret
 */

// Installations (core model/installation.rs, services/installations, services/tokens)

/** @typedef {'shared'|'own'} AppSource */

/**
 * @typedef {object} Profile
 * @property {string} id
 * @property {string} display_name
 * @property {string} email
 */

/**
 * @typedef {object} Installation
 * @property {string} id
 * @property {string} connector
 * @property {string} organization
 * @property {string} project
 * @property {string} project_id
 * @property {AuthKind} auth_type
 * @property {AppSource} source
 * @property {Record<string, string>} [own_app] The own app's non-secret values.
 * @property {string} scopes
 * @property {Profile} user
 * @property {number} access_expires_at Unix seconds.
 * @property {number} access_lifetime_secs
 * @property {number|null} last_refreshed_at
 * @property {number} created_at
 * @property {string} [tenant]
 * @property {string} [endpoint]
 * @property {string} [claims]
 * @property {string|null} needs_reauth
 */

/**
 * A live status (`Status`, serde tag `state`).
 * @typedef {{state: 'connected'} | {state: 'refreshing'} | {state: 'needs_reauth', reason: string} | {state: 'error', reason: string, retry_at: number}} Status
 */

/**
 * @typedef {object} MethodState
 * @property {MethodId} id
 * @property {string} needs
 * @property {string|null} unavailable_because
 */

/**
 * An installation as the window shows it (`InstallationView`: the record flattened in).
 * @typedef {Installation & {
 *   status: Status,
 *   methods_available: string[],
 *   methods_unavailable: string[],
 *   methods: MethodState[],
 *   secret_warning: string|null,
 * }} InstallationView
 */

/** @typedef {'connected'|'refreshing'|'needs_reauth'|'error'} StatusFilter */

/**
 * @typedef {object} PageQuery
 * @property {number} [offset]
 * @property {number} [limit] 50 when absent; at most 200.
 * @property {string} [search]
 * @property {StatusFilter|null} [status]
 */

/**
 * @typedef {object} Page
 * @property {number} total Every installation.
 * @property {number} matching Those the search and filter match.
 * @property {number} offset
 * @property {InstallationView[]} rows
 */

/**
 * The `installation-status` event's payload (`StatusEvent`).
 * @typedef {object} StatusEvent
 * @property {string} installation
 * @property {Status} status
 * @property {number} access_expires_at
 * @property {number|null} last_refreshed_at
 */

// Install and sign-in (core services/signin)

/**
 * @typedef {object} OwnApp
 * @property {string} auth_type
 * @property {Record<string, string>} [values]
 * @property {string|null} [secret]
 */

/**
 * What the Install form submits.
 * @typedef {object} InstallInput
 * @property {string} connector
 * @property {string} organization
 * @property {string} project
 * @property {OwnApp|null} [own_app]
 * @property {boolean} [scopes_confirmed]
 * @property {string|null} [reauth] The installation to re-authenticate.
 */

/** @typedef {'embedded'|'browser'} Flow */

/**
 * @typedef {object} Preflight
 * @property {AppSource} source
 * @property {AuthKind} auth_type
 * @property {string} client_id
 * @property {string} scopes
 * @property {string[]} scope_names
 * @property {string} callback_url
 * @property {boolean} needs_scope_confirmation
 * @property {string|null} warning
 * @property {Flow} flow
 * @property {string|null} org_tenant
 * @property {{tenant: string, why: string}|null} tenant
 */

/**
 * @typedef {object} SignedIn
 * @property {Installation} installation
 * @property {string} message
 */

// Methods (core services/methods)

/**
 * @typedef {object} MethodRequest
 * @property {string} installation
 * @property {MethodId} method
 * @property {Record<string, string>} [inputs]
 */

/**
 * Rows are flat objects keyed by the method's column ids (work items, accounts, audit
 * entries, a profile, a project: strings and numbers).
 * @typedef {object} MethodOutput
 * @property {Record<string, string|number>[]} rows
 * @property {boolean} more
 * @property {string} summary
 */

/**
 * The `method-progress` event's payload.
 * @typedef {object} MethodProgress
 * @property {string} run
 * @property {string} message
 */

// The window

/**
 * A library entry as a form starts from: a saved one, or an import (not saved yet, so
 * no `updated_at`; its auth type is checked again on Save).
 * @typedef {object} EntryDraft
 * @property {string} auth_type
 * @property {Record<string, string>} values
 * @property {boolean} has_secret
 * @property {number} [updated_at]
 */

/**
 * What app.js hands every view.
 * @typedef {object} AppState
 * @property {KeychainStatus|null} keychain Null until the first check answers.
 * @property {string} [installNext] A connector whose Install form Installations opens next ("Install it now" after a Library save).
 * @property {number} [installed] How many installations there are, once known (a first run has none).
 * @property {string} [setUpNext] A connector whose Library form the Library opens next ("Set up the Connector Library").
 */

export {};
