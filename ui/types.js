// @ts-check
// The command payloads' names, as the views use them. Every payload type is generated from the
// Rust types the commands take and return (ui/bindings/index.d.ts, by src-tauri/commands/bindings.rs;
// a test fails when it is stale), so nothing here restates a Rust type. Only the window's own
// shapes, which no command carries, are written out below. Types only: nothing here runs.

/**
 * @typedef {import('./bindings/index').UiError} CommandError What every command rejects with; api.js turns anything else into one with code `unknown`.
 * @typedef {import('./bindings/index').FieldError} FieldError
 * @typedef {import('./bindings/index').KeychainStatus} KeychainStatus
 * @typedef {import('./bindings/index').About} About
 * @typedef {import('./bindings/index').ScopeInfo} ScopeInfo
 * @typedef {import('./bindings/index').ScopeReport} ScopeReport
 * @typedef {import('./bindings/index').AuthKind} AuthKind
 * @typedef {import('./bindings/index').Manifest} Manifest
 * @typedef {import('./bindings/index').AuthOption} AuthOption
 * @typedef {import('./bindings/index').Method} Method
 * @typedef {import('./bindings/index').MethodInput} MethodInput
 * @typedef {import('./bindings/index').LibraryEntry} LibraryEntry
 * @typedef {import('./bindings/index').ConnectorView} ConnectorView
 * @typedef {import('./bindings/index').EntryInput} EntryInput
 * @typedef {import('./bindings/index').SaveOutcome} SaveOutcome
 * @typedef {import('./bindings/index').RotationOutcome} RotationOutcome
 * @typedef {import('./bindings/index').ExportedEntry} ExportedEntry
 * @typedef {import('./bindings/index').Installation} Installation
 * @typedef {import('./bindings/index').Status} Status
 * @typedef {import('./bindings/index').MethodState} MethodState
 * @typedef {import('./bindings/index').InstallationView} InstallationView
 * @typedef {import('./bindings/index').StatusFilter} StatusFilter
 * @typedef {import('./bindings/index').PageQuery} PageQuery
 * @typedef {import('./bindings/index').Page} Page
 * @typedef {import('./bindings/index').StatusEvent} StatusEvent
 * @typedef {import('./bindings/index').SecretExpired} SecretExpired
 * @typedef {import('./bindings/index').InstallInput} InstallInput
 * @typedef {import('./bindings/index').Flow} Flow
 * @typedef {import('./bindings/index').Preflight} Preflight
 * @typedef {import('./bindings/index').SignedIn} SignedIn
 * @typedef {import('./bindings/index').MethodRequest} MethodRequest
 * @typedef {import('./bindings/index').MethodOutput} MethodOutput
 * @typedef {import('./bindings/index').MethodProgress} MethodProgress
 * @typedef {import('./bindings/index').LegacyApp} LegacyApp
 * @typedef {import('./bindings/index').EntraPermission} EntraPermission
 * @typedef {import('./bindings/index').RegistrationGuide} RegistrationGuide
 * @typedef {import('./bindings/index').TestSignInInput} TestSignInInput
 * @typedef {import('./bindings/index').TestedSignIn} TestedSignIn
 * @typedef {import('./bindings/index').InstallLink} InstallLink
 */

// The window's own shapes

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
 * @property {InstallLink} [installLink] The install link that Install form is opened for: its fields are filled in from it.
 * @property {number} [installed] How many installations there are, once known (a first run has none).
 * @property {string} [setUpNext] A connector whose Library form the Library opens next ("Set up the Connector Library").
 */

export {};
