// Generated from the Rust types by src-tauri/commands/bindings.rs (ts-rs): do not edit.
// Regenerate with `UPDATE_BINDINGS=1 cargo test -p connector-console --lib bindings`.

export type UiError = { code: string, message: string, hint: string, 
/**
 * The platform's own words (e.g. a D-Bus error), shown behind a disclosure.
 */
detail?: string, 
/**
 * Per-field problems, for forms.
 */
fields?: Array<FieldError>, 
/**
 * An unknown scope's closest matches, or a missing project's organization's projects, offered as one-click replacements.
 */
did_you_mean?: DidYouMean, 
/**
 * A link that fixes the problem when the right person opens it (a tenant's
 * admin-consent page), offered to copy or open.
 */
link?: string, 
/**
 * A legacy registration's Authorized scopes, when a scope mismatch knows them: offered as
 * "Use the registration's N scopes".
 */
registered_scopes?: string, };

/**
 * One form field's problem, for forms that mark each bad field.
 */
export type FieldError = { field: string, message: string, };

/**
 * The word as typed, and what it may have meant.
 */
export type DidYouMean = { token: string, choices: Array<string>, };

/**
 * The extras of an error, each sent only when there is one.
 */
export type More = { 
/**
 * The platform's own words (e.g. a D-Bus error), shown behind a disclosure.
 */
detail?: string, 
/**
 * Per-field problems, for forms.
 */
fields?: Array<FieldError>, 
/**
 * An unknown scope's closest matches, or a missing project's organization's projects, offered as one-click replacements.
 */
did_you_mean?: DidYouMean, 
/**
 * A link that fixes the problem when the right person opens it (a tenant's
 * admin-consent page), offered to copy or open.
 */
link?: string, 
/**
 * A legacy registration's Authorized scopes, when a scope mismatch knows them: offered as
 * "Use the registration's N scopes".
 */
registered_scopes?: string, };

/**
 * What the UI shows about the keychain: usable, or why not and what to do.
 */
export type KeychainStatus = { available: boolean, error: UiError | null, };

/**
 * The app's name, version, where its data lives, and anything unusual.
 */
export type About = { name: string, version: string, data_dir: string, endpoints: Endpoints, notices: Array<Notice>, };

export type Endpoints = { 
/**
 * app.vssps.visualstudio.com: legacy OAuth, profile, accounts.
 */
vssps: string, 
/**
 * login.microsoftonline.com: Entra ID.
 */
login: string, 
/**
 * dev.azure.com: organization and project APIs.
 */
devops: string, 
/**
 * auditservice.dev.azure.com.
 */
audit: string, 
/**
 * The override's base URL when one is active.
 */
overridden_by: string | null, };

export type Notice = { code: NoticeCode, message: string, };

export type NoticeCode = "settings_quarantined" | "settings_unreadable" | "settings_too_new" | "policy_ignored" | "endpoint_override";

export type ScopeInfo = { 
/**
 * The scope string, e.g. `vso.work_full`.
 */
scope: string, 
/**
 * The name on Microsoft's registration page, e.g. "Work items (full)".
 */
name: string, category: string, high_privilege: boolean, 
/**
 * Scopes this one includes directly ("inherits from" in Microsoft's table).
 */
includes: Array<string>, description: string, 
/**
 * Recognised so old registrations still parse; never offered for new use.
 */
retired: boolean, 
/**
 * An Entra ID permission only (`user_impersonation`, the PAT scopes): a legacy app can't have it.
 */
entra_only: boolean, 
/**
 * Marked "(No longer public.)" in Microsoft's scope table (the service hooks scopes): a
 * legacy registration may hold it, but the Entra portal doesn't offer it, so an Entra app
 * is never asked to have it.
 */
not_public: boolean, };

export type ScopeReport = { 
/**
 * The exact string that will be sent.
 */
value: string, names: Array<string>, retired: Array<string>, 
/**
 * Scopes granted through inclusion, by UI name.
 */
included: Array<string>, warning: string | null, };

/**
 * Which Microsoft flow an app uses. Stored as `"entra"` / `"legacy"`.
 */
export type AuthKind = "entra" | "legacy";

export type Manifest = { id: string, name: string, description: string, recommended_scope: string, recommended_scope_note: string, sign_in_waiting: SignInWaiting, auth_types: Array<AuthOption>, install_fields: Array<Field>, 
/**
 * Real Microsoft hosts by role; an endpoint override replaces them all.
 */
endpoints: Record<string, string>, methods: Array<Method>, };

/**
 * What the Install form says while a sign-in waits, by where it happens.
 */
export type SignInWaiting = { window: string, browser: string, };

/**
 * How a connector offers one `AuthKind`: its label, fields and registration page.
 * (Forms send the kind itself as `auth_type`, parsed once by `AuthKind::from_str`.)
 */
export type AuthOption = { id: AuthKind, label: string, explanation: string, registration_url: string, 
/**
 * A fixed redirect URI to register (Entra), or…
 */
redirect_uri: string | null, 
/**
 * …one built from field values, e.g. `https://{service_domain}/connector/callback`.
 */
redirect_template: string | null, redirect_note: string, sign_in_copy: SignInCopy, fields: Array<Field>, };

/**
 * The service-specific words of an auth type's sign-in, so the form has none.
 */
export type SignInCopy = { 
/**
 * Follows "Microsoft will return to <callback>".
 */
callback_note: string, 
/**
 * What an error page instead of a sign-in page means (`{callback}` is filled in).
 */
trouble: string, 
/**
 * Why the browser is the default, when the user can choose a window instead.
 */
flow_choice_help?: string, };

export type FieldKind = "guid" | "secret" | "scopes" | "tenant" | "domain" | "organization" | "project" | "date";

export type Field = { id: string, label: string, kind: FieldKind, required: boolean, help: string, };

/**
 * The connector methods the core can run.
 */
export type MethodId = "list_work_items" | "get_work_item" | "create_work_item" | "list_accounts" | "query_audit_log" | "get_profile" | "get_project";

export type Method = { id: MethodId, name: string, 
/**
 * The method works when any one of these is granted (counting inclusion).
 */
any_of: Array<string>, description: string, 
/**
 * The form the Methods panel shows.
 */
inputs: Array<MethodInput>, 
/**
 * The result table's columns: keys of each result row.
 */
columns: Array<Column>, };

export type InputKind = "text" | "textarea";

export type MethodInput = { id: string, label: string, kind: InputKind, required: boolean, default: string, help: string, };

export type Column = { id: string, label: string, };

/**
 * A saved entry. `values` holds every non-secret field, normalized.
 */
export type LibraryEntry = { auth_type: AuthKind, values: Record<string, string>, 
/**
 * Whether a Client Secret is in the keychain for this entry.
 */
has_secret: boolean, 
/**
 * Seconds since the Unix epoch.
 */
updated_at: number, };

/**
 * Who set the connector's Library entry, and the entry: sent as `mode` beside `entry`, so
 * the window's type says an entry is there exactly when the mode has one.
 */
export type Mode = { "mode": "managed", entry: LibraryEntry, } | { "mode": "shared", entry: LibraryEntry, } | { "mode": "bring_your_own", entry: null, };

export type ConnectorView = { manifest: Manifest, 
/**
 * The callback / redirect URI to register, when it can be known.
 */
redirect_uri: string | null, 
/**
 * How many installations signed in with this entry's app (Clear stops them).
 */
installations_using: number, 
/**
 * A legacy Client Secret expiring within 14 days (or expired), from the recorded date; or
 * refused by Microsoft, until a new one is saved.
 */
secret_warning: string | null, 
/**
 * During a move to Entra ID, the other entry (see `Settings::library_alternate`).
 */
alternate: LibraryEntry | null, 
/**
 * Shared installations on each flow: the move's "N of M moved".
 */
shared_legacy: number, shared_entra: number, 
/**
 * A managed entry's move to Entra ID: the policy file's `migrate_by` date.
 */
migrate_by: string | null, 
/**
 * The link that opens Install for this connector (the card's "Copy install link").
 */
install_link: string, 
/**
 * Before the switch to Entra ID: the last test sign-in that worked with the prepared
 * Entra app as it is now (`SignIn::test_prepared`); `None` while none has.
 */
test_sign_in: TestedSignIn | null, 
/**
 * An Entra entry: what sign-ins taught about its app's audience, in one line
 * (`model::audience`); `None` while nothing was.
 */
learned_audience: string | null, } & ({ "mode": "managed", entry: LibraryEntry, } | { "mode": "shared", entry: LibraryEntry, } | { "mode": "bring_your_own", entry: null, });

/**
 * What the form submits. A blank `secret` with an existing one keeps it.
 */
export type EntryInput = { connector: string, auth_type: string, values?: { [key in string]?: string }, secret?: string | null, };

export type SaveOutcome = { connector: ConnectorView, warnings: Array<string>, };

/**
 * An entry as handed to another machine: everything but the secret.
 */
export type ExportedEntry = { format: string, version: number, connector: string, auth_type: string, values: Record<string, string>, 
/**
 * Whether the original had a secret, so the importer knows to ask for one.
 */
needs_secret: boolean, };

/**
 * What a rotation did: "N of M installations renewed", and whether the old secret may go.
 */
export type RotationOutcome = { connector: ConnectorView, renewed: number, total: number, not_renewed: Array<NotRenewed>, 
/**
 * Every installation renewed: nothing needs the old secret any more.
 */
old_secret_may_go: boolean, message: string, };

/**
 * An installation the rotation could not renew, and why.
 */
export type NotRenewed = { installation: string, 
/**
 * `organization/project`, as the list shows it.
 */
label: string, reason: string, };

export type AppSource = "shared" | "own";

export type Profile = { id: string, display_name: string, email: string, };

export type Installation = { id: string, connector: string, organization: string, project: string, project_id: string, auth_type: AuthKind, source: AppSource, 
/**
 * Non-secret values of the user's own app (client id, scopes, domain…).
 */
own_app?: { [key in string]?: string }, 
/**
 * Scopes granted, as Microsoft reported them (or as requested); space-separated on disk.
 */
scopes: string, user: Profile, 
/**
 * Unix seconds.
 */
access_expires_at: number, 
/**
 * The lifetime Microsoft gave the last access token; sets the refresh margin.
 */
access_lifetime_secs: number, last_refreshed_at: number | null, created_at: number, 
/**
 * Entra: the tenant signed in to, when the registration names none (the
 * organization's, discovered at sign-in). Refresh uses the same authority.
 */
tenant?: string, 
/**
 * The Microsoft endpoint override this installation was made against (`None`:
 * Microsoft itself). Its tokens and secret are never sent anywhere else.
 */
endpoint?: string, 
/**
 * A Continuous Access Evaluation claims challenge (base64) the next sign-in must
 * answer; cleared by it.
 */
claims?: string, 
/**
 * Set when Microsoft stopped accepting the refresh token; cleared by a new sign-in.
 * The reason alone: what `Error::NeedsReauth` says after its own opening.
 */
needs_reauth: string | null, };

export type Status = { "state": "connected" } | { "state": "refreshing" } | { "state": "needs_reauth", reason: string, } | { "state": "error", reason: string, retry_at: number, };

export type MethodState = { id: MethodId, 
/**
 * The scopes that allow it, by name ("Audit Log (read) (vso.auditlog)").
 */
needs: string, 
/**
 * Why this installation can't run it; `None` when it can.
 */
unavailable_because: string | null, };

export type InstallationView = { status: Status, 
/**
 * The connector methods the granted scopes allow, and those they don't.
 */
methods_available: Array<string>, methods_unavailable: Array<string>, 
/**
 * Each method with what it needs and, when it can't run, why.
 */
methods: Array<MethodState>, 
/**
 * A legacy app's Client Secret expiring within 14 days (or expired): what to do.
 */
secret_warning: string | null, id: string, connector: string, organization: string, project: string, project_id: string, auth_type: AuthKind, source: AppSource, 
/**
 * Non-secret values of the user's own app (client id, scopes, domain…).
 */
own_app?: { [key in string]?: string }, 
/**
 * Scopes granted, as Microsoft reported them (or as requested); space-separated on disk.
 */
scopes: string, user: Profile, 
/**
 * Unix seconds.
 */
access_expires_at: number, 
/**
 * The lifetime Microsoft gave the last access token; sets the refresh margin.
 */
access_lifetime_secs: number, last_refreshed_at: number | null, created_at: number, 
/**
 * Entra: the tenant signed in to, when the registration names none (the
 * organization's, discovered at sign-in). Refresh uses the same authority.
 */
tenant?: string, 
/**
 * The Microsoft endpoint override this installation was made against (`None`:
 * Microsoft itself). Its tokens and secret are never sent anywhere else.
 */
endpoint?: string, 
/**
 * A Continuous Access Evaluation claims challenge (base64) the next sign-in must
 * answer; cleared by it.
 */
claims?: string, 
/**
 * Set when Microsoft stopped accepting the refresh token; cleared by a new sign-in.
 * The reason alone: what `Error::NeedsReauth` says after its own opening.
 */
needs_reauth: string | null, };

export type StatusFilter = "connected" | "refreshing" | "needs_reauth" | "error";

export type PageQuery = { offset?: number, limit?: number, 
/**
 * Matched, case-insensitively, against organization, project, user name and email.
 */
search?: string, status?: StatusFilter | null, };

export type Page = { 
/**
 * Every installation.
 */
total: number, 
/**
 * Those the search and filter match.
 */
matching: number, offset: number, rows: Array<InstallationView>, };

export type StatusEvent = { installation: string, status: Status, access_expires_at: number, last_refreshed_at: number | null, };

/**
 * One shared app whose secret expired, and the installations that must sign in again.
 */
export type SecretExpired = { connector: string, 
/**
 * `YYYY-MM-DD`: the recorded expiry date, or the day Microsoft refused the secret.
 */
expired_on: string, 
/**
 * Microsoft refused the secret (expired or regenerated), rather than its date passing.
 */
refused: boolean, 
/**
 * The admin saved a new secret since: signing in again works. Until then it can't.
 */
new_secret_saved: boolean, 
/**
 * Every installation signed in with the dead secret, in the list's order.
 */
installations: Array<InstallationView>, };

export type OwnApp = { auth_type: string, values?: { [key in string]?: string }, secret?: string | null, };

/**
 * What the Install form submits.
 */
export type InstallInput = { connector: string, organization: string, project: string, 
/**
 * Required when the library entry is blank (Bring your own app).
 */
own_app?: OwnApp | null, 
/**
 * The user confirmed their own app's scopes are exactly those registered.
 */
scopes_confirmed?: boolean, 
/**
 * Re-authenticate this installation instead of creating a new one.
 */
reauth?: string | null, };

/**
 * How the user answers Microsoft.
 */
export type Flow = "embedded" | "browser";

export type Preflight = { source: AppSource, auth_type: AuthKind, client_id: string, scopes: string, scope_names: Array<string>, callback_url: string, 
/**
 * Own app: the user must confirm the scopes are exactly the registered ones.
 */
needs_scope_confirmation: boolean, warning: string | null, flow: Flow, 
/**
 * Entra: the organization's tenant, found from the organization's URL.
 */
org_tenant: string | null, 
/**
 * Entra: the tenant Sign In will use, and why.
 */
tenant: TenantChoice | null, };

/**
 * Which tenant an Entra sign-in goes to, and why, in the user's words.
 */
export type TenantChoice = { tenant: string, why: string, };

export type SignedIn = { installation: Installation, message: string, };

/**
 * What the Methods panel asks for.
 */
export type MethodRequest = { installation: string, method: MethodId, inputs?: { [key in string]?: string }, };

/**
 * Rows keyed by the manifest's column ids, whether there is more than shown,
 * and a one-line summary.
 */
export type MethodOutput = { 
/**
 * Flat objects keyed by the method's column ids: strings and numbers.
 */
rows: Array<Record<string, string | number>>, more: boolean, summary: string, 
/**
 * The requests it sent, each "VERB URL", in order: what an API client shows as the request line.
 */
requests: Array<string>, };

export type MethodProgress = { run: string, message: string, };

/**
 * Whose legacy app the guide is for.
 */
export type LegacyApp = { "kind": "library", connector: string, } | { "kind": "installation", id: string, };

/**
 * One delegated permission to add to the Entra app registration.
 */
export type EntraPermission = { 
/**
 * The scope string, the same in both flows: `vso.work_full`.
 */
scope: string, 
/**
 * The registration page's name: "Work items (full)".
 */
name: string, 
/**
 * As the Entra portal lists it under API permissions: "Azure DevOps: vso.work_full".
 */
label: string, };

/**
 * What a legacy scope set becomes in Entra.
 */
export type EntraMapping = { 
/**
 * One permission per legacy scope that has one, in the set's order.
 */
permissions: Array<EntraPermission>, 
/**
 * Legacy scopes with no Entra form to tick (retired, or no longer public), by name: they can't move.
 */
no_equivalent: Array<EntraPermission>, 
/**
 * Entra-only permissions worth offering (the personal access token scopes).
 */
entra_adds: Array<EntraPermission>, };

/**
 * An organization's Entra tenant, as discovered for the guide.
 */
export type TenantFinding = { organization: string, 
/**
 * The tenant (a GUID or a domain), when the organization is backed by one.
 */
tenant: string | null, 
/**
 * Why it isn't known: a personal-account organization, or discovery failed.
 */
problem: string | null, };

/**
 * Single- or multi-tenant, as the Entra portal asks at registration.
 */
export type Audience = "single_tenant" | "multi_tenant" | "unknown";

/**
 * What to register in Entra to replace a legacy app.
 */
export type RegistrationGuide = { connector: string, legacy_client_id: string, 
/**
 * The platform to add under Authentication, and its redirect URI: a desktop app
 * signs in through the loopback address, and Entra ignores the port.
 */
platform: string, redirect_uri: string, scopes: EntraMapping, tenants: Array<TenantFinding>, audience: Audience, 
/**
 * One line on the choice above.
 */
audience_text: string, 
/**
 * Microsoft's app registration page, from the connector manifest.
 */
registration_url: string, 
/**
 * The entry comes from the organization's policy file: IT deploys the new one.
 */
managed: boolean, };

/**
 * What the admin names for a test sign-in: the connector whose prepared Entra app to
 * try, and an organization and project to sign in to.
 */
export type TestSignInInput = { connector: string, organization: string, project: string, };

/**
 * A test sign-in that worked: the prepared app signed this user in and reached the project.
 */
export type TestedSignIn = { 
/**
 * The prepared app it tested, and that entry's last save (a changed entry is untested).
 */
client_id: string, entry_updated_at: number, user: string, organization: string, project: string, 
/**
 * The tenant it signed in through.
 */
tenant: string, at: number, };

/**
 * What an install link fills in. Never a secret, never an instruction to sign in.
 */
export type InstallLink = { 
/**
 * A connector this app ships (`azure-devops`).
 */
connector: string, organization: string | null, project: string | null, 
/**
 * Parameters a link can't set (say, tracking tags a mail service added): left out, and named on screen.
 */
ignored: Array<string>, };

/**
 * The "Desktop notifications" setting as the window shows it.
 */
export type NotificationSetting = { 
/**
 * The user's choice (on by default).
 */
enabled: boolean, 
/**
 * The organization's policy file turned them off: the choice doesn't matter.
 */
off_by_policy: boolean, };
