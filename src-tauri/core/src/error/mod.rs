//! One error type for the core, with stable codes for the UI.
//!
//! The UI switches on `code()` (snake_case, never renamed once shipped) and shows
//! the message (`Display`: what happened) and `hint()` (what to do about it).
//! Every code the UI can receive is a variant here; the shell turns an `Error`
//! into `{code, message, hint}` at the command edge and nowhere else.
//! This module imports nothing from the rest of the crate.

pub mod aadsts;
mod audit;
mod extras;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the OS keychain can't be used. Each reason has its own remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeychainProblem {
    /// No D-Bus session bus to talk to (Linux).
    NoSessionBus,
    /// A bus, but nothing provides org.freedesktop.secrets.
    NoSecretService,
    /// The keychain or its default collection is locked.
    Locked,
    /// Anything else the platform store reported.
    Other,
}

/// One form field's problem, for forms that mark each bad field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// Said in words; the platform's own text (often raw D-Bus) is in `detail()`.
    #[error("{}", keychain_words(*problem))]
    KeychainUnavailable { problem: KeychainProblem, detail: String },

    #[error("The keychain holds a value for {account} that is not valid text")]
    KeychainCorrupt { account: String },

    #[error("{field}: {problem}")]
    InvalidInput { field: String, problem: String },

    #[error("\"{token}\" is not an Azure DevOps scope")]
    UnknownScope { token: String, suggestions: Vec<String> },

    #[error("The scope list is {len} characters long; the limit is {limit}")]
    ScopeInputTooLong { len: usize, limit: usize },

    #[error("Could not read or write {path}: {detail}")]
    Storage { path: String, detail: String },

    #[error("Some fields need attention")]
    Fields(Vec<FieldError>),

    #[error("{what} could not be read: {problem}")]
    Import { what: String, problem: String },

    #[error("Nothing is set up for {0}")]
    NotFound(String),

    #[error("{message} Microsoft said: {detail}")]
    Entra { code: Option<u32>, message: String, hint: String, detail: String },
    #[error("An admin of tenant {tenant} must approve this app first: the tenant lets only admins consent to apps (AADSTS{aadsts})")]
    AdminConsentRequired { tenant: String, url: String, aadsts: u32 },

    /// `registered`: the registration's Authorized scopes when known (a legacy app that signed
    /// in before), so that a view can offer to use exactly those.
    #[error("{message}")]
    InvalidScope { message: String, remedy: String, registered: Option<String> },

    #[error("You declined the sign-in, so the connector was not authorized")]
    SignInDeclined,

    #[error("Sign-in cancelled")]
    SignInCancelled,

    #[error("No answer from the sign-in window within {minutes} minutes")]
    SignInTimedOut { minutes: u64 },

    #[error("The sign-in answer did not belong to the sign-in in progress, so it was rejected")]
    StateMismatch,

    #[error("Another sign-in is already in progress")]
    SignInBusy,

    #[error("Microsoft refused the sign-in: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    SignInRefused { error: String, description: Option<String> },

    #[error("Microsoft rejected the app's credentials: {description}")]
    InvalidClient { description: String },

    #[error("Microsoft no longer accepts this sign-in: {description}")]
    NeedsReauth { description: String },

    #[error("Microsoft's token service failed (HTTP {status})")]
    TokenServiceUnavailable { status: u16 },

    #[error("Microsoft answered with something that is not a token: {detail}")]
    UnexpectedResponse { detail: String },

    #[error("Could not reach {host}: {detail}")]
    Network { host: String, detail: String },

    #[error("Azure DevOps did not accept the access token (it answered with a sign-in page)")]
    TokenRejected,

    #[error("The organization \"{org}\" refused the app (TF400813): it most likely blocks third-party OAuth apps")]
    OAuthDisabledByOrg { org: String },

    #[error("This needs {needs}; this installation has {has}")]
    ScopeMissing { needs: String, has: String },

    #[error("Azure DevOps refused the request in \"{org}\" (TF400813: not authorized)")]
    NotAuthorized { org: String },

    /// The audit log refused (Learn documents three preconditions and no answer per each);
    /// `not_entra_backed` when the organization is known to have no tenant.
    #[error("{}", audit::message(.org, *.not_entra_backed))]
    AuditUnavailable { org: String, not_entra_backed: bool, legacy: bool },

    #[error("Azure DevOps takes at most {limit} work item ids per request")]
    TooManyIds { limit: usize },

    #[error(
        "Azure DevOps is throttling requests (HTTP {status}) and asked to wait {retry_after_secs} s, longer than Connector Console waits"
    )]
    Throttled { status: u16, retry_after_secs: u64 },

    #[error("Cancelled")]
    Cancelled,

    #[error(
        "Microsoft refused the app's Client Secret: it has most likely expired (legacy secrets last 60 days by default) or was regenerated"
    )]
    LegacySecretRejected { shared: bool },

    #[error("Azure DevOps refused the token for \"{org}\" (VS30063): it comes from another tenant than the organization's{}, or the account is not a member", org_tenant.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())]
    WrongTenant { org: String, org_tenant: Option<String> },
    /// `TF400813` naming the user, for an Entra token whose `tid` is not the organization's tenant.
    #[error("Azure DevOps refused the token for \"{org}\" (TF400813): it was issued by tenant {token_tenant}, but the organization is in tenant {org_tenant}")]
    WrongTenantToken { org: String, org_tenant: String, token_tenant: String },
    /// `learned_from`: the AADSTS code that showed the app single-tenant, when its tenant was
    /// learned from sign-ins rather than entered by the admin.
    #[error("{}", single_tenant_elsewhere(org, org_tenant, app_tenant, *learned_from))]
    SingleTenantAppElsewhere { org: String, org_tenant: String, app_tenant: String, learned_from: Option<u32> },

    #[error("This installation was made against {made_with}, but the app now talks to {now}; nothing was sent")]
    EndpointMismatch { made_with: String, now: String },

    /// `holder`: who holds it, as the holder noted it in the lock file, when that can be read.
    #[error("{holder} has held this installation for {waited_secs} s")]
    Busy { waited_secs: u64, holder: String },

    #[error("Your organization requires you to sign in again (Continuous Access Evaluation)")]
    ClaimsChallenge { claims: String },

    #[error("The {connector} entry is managed by your organization")]
    ManagedByPolicy { connector: String },

    #[error("{count} installation(s) still sign in with the legacy app")]
    LegacyStillInUse { count: usize },

    #[error("No installation matches {wanted}")]
    NoInstallation { wanted: String, available: Vec<String> },

    #[error("{} installations match; choose one", choices.len())]
    AmbiguousInstallation { choices: Vec<String> },

    #[error("The signed-in account is not a member of an organization named \"{org}\"")]
    OrgNotFound { org: String, available: Vec<String> },

    /// `available`: the organization's projects the account can see, to choose from (empty
    /// when they could not be listed).
    #[error("The project \"{project}\" does not exist in {org} (TF200016)")]
    ProjectNotFound { org: String, project: String, available: Vec<String> },

    #[error("Azure DevOps refused the request (HTTP {status}): {message}")]
    AzureDevOps { status: u16, message: String },

    #[error("The settings file was written by a newer Connector Console (format {found}, this app reads up to {supported})")]
    SettingsTooNew { found: u32, supported: u32 },

    #[error("The settings file has a broken {what}: {detail}")]
    SettingsInvalid { what: String, detail: String },

    #[error("No tokens for this installation are in the keychain (credentials missing from keychain)")]
    CredentialsMissing,

    #[error("The app's Client Secret is not in the keychain.")]
    SecretMissing,

    #[error("New tokens from Microsoft could not be saved to the keychain ({source}). They are kept by this process, which saves them at its next refresh and before it exits.")]
    TokensNotSaved { source: Box<Error> },

    /// `detail`: the opener's command and exit code, for a "Details" disclosure (not the message).
    #[error("Your browser didn’t open")]
    BrowserFailed { detail: String },

    #[error("The sign-in window could not be opened: {detail}")]
    SignInWindowFailed { detail: String },

    #[error("Could not open the browser: {detail}")]
    OpenFailed { url: String, detail: String },

    #[error("An internal operation failed: {detail}")]
    Internal { detail: String },
}

fn single_tenant_elsewhere(org: &str, org_tenant: &str, app_tenant: &str, learned_from: Option<u32>) -> String {
    match learned_from {
        None => format!("The app signs in only accounts of its own tenant {app_tenant}, but the organization {org} is in tenant {org_tenant}"),
        Some(code) => format!("This app signed in only tenant {app_tenant} so far and Microsoft said it is single-tenant (AADSTS{code}), but the organization {org} is in tenant {org_tenant}"),
    }
}

fn keychain_words(problem: KeychainProblem) -> &'static str {
    match problem {
        KeychainProblem::NoSessionBus => "The OS keychain can't be reached: this session has no D-Bus session bus",
        KeychainProblem::NoSecretService => "No OS keychain is running: nothing provides the Secret Service",
        KeychainProblem::Locked => "The OS keychain is locked",
        KeychainProblem::Other => "The OS keychain is not available",
    }
}

impl Error {
    /// A file or folder operation on `path` failed.
    pub fn storage(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        Self::Storage { path: path.display().to_string(), detail: e.to_string() }
    }

    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::InvalidInput { field: field.into(), problem: problem.into() }
    }

    /// The stable code the UI switches on.
    /// Why an installation needs a new sign-in, said once: a `NeedsReauth`'s own
    /// description (never wrapped in its own message again), else this error's message.
    pub fn reauth_reason(&self) -> String {
        match self {
            Self::NeedsReauth { description } => description.clone(),
            other => other.to_string(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::KeychainUnavailable { .. } => "keychain_unavailable",
            Self::KeychainCorrupt { .. } => "keychain_corrupt",
            Self::InvalidInput { .. } => "invalid_input",
            Self::UnknownScope { .. } => "unknown_scope",
            Self::ScopeInputTooLong { .. } => "scope_input_too_long",
            Self::Storage { .. } => "storage_failed",
            Self::SettingsTooNew { .. } => "settings_too_new",
            Self::Fields(_) => "invalid_input",
            Self::InvalidScope { .. } => "invalid_scope",
            Self::Entra { code, .. } => code.and_then(aadsts::lookup).map(|a| a.code).unwrap_or("entra_error"),
            Self::SignInDeclined => "access_denied",
            Self::AdminConsentRequired { .. } => "admin_consent_required",
            Self::SignInCancelled => "sign_in_cancelled",
            Self::SignInTimedOut { .. } => "sign_in_timeout",
            Self::StateMismatch => "state_mismatch",
            Self::SignInBusy => "sign_in_in_progress",
            Self::SignInRefused { .. } => "sign_in_refused",
            Self::InvalidClient { .. } => "invalid_client",
            Self::NeedsReauth { .. } => "needs_reauth",
            Self::TokenServiceUnavailable { .. } => "microsoft_unavailable",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::Network { .. } => "network_error",
            Self::TokenRejected => "token_rejected",
            Self::OAuthDisabledByOrg { .. } => "oauth_disabled_by_org",
            Self::ScopeMissing { .. } => "scope_missing",
            Self::NotAuthorized { .. } => "not_authorized",
            Self::AuditUnavailable { .. } => "audit_unavailable",
            Self::LegacySecretRejected { .. } => "legacy_secret_rejected",
            Self::WrongTenant { .. } => "wrong_tenant",
            Self::WrongTenantToken { .. } => "wrong_tenant_token",
            Self::ClaimsChallenge { .. } => "claims_challenge",
            Self::SingleTenantAppElsewhere { .. } => "single_tenant_app_elsewhere",
            Self::EndpointMismatch { .. } => "endpoint_mismatch",
            Self::Busy { .. } => "busy",
            Self::TooManyIds { .. } => "too_many_ids",
            Self::Throttled { .. } => "throttled",
            Self::Cancelled => "cancelled",
            Self::ManagedByPolicy { .. } => "managed_by_policy",
            Self::LegacyStillInUse { .. } => "legacy_still_in_use",
            Self::NoInstallation { .. } => "no_installation",
            Self::AmbiguousInstallation { .. } => "ambiguous_installation",
            Self::OrgNotFound { .. } => "org_not_found",
            Self::ProjectNotFound { .. } => "project_not_found",
            Self::AzureDevOps { .. } => "azure_devops_error",
            Self::Import { .. } => "import_failed",
            Self::NotFound(_) => "not_found",
            Self::SettingsInvalid { .. } => "settings_invalid",
            Self::CredentialsMissing => "credentials_missing",
            Self::SecretMissing => "secret_missing",
            // The keychain's own code tells the UI what to fix; the message says the tokens are safe.
            Self::TokensNotSaved { source } => source.code(),
            Self::BrowserFailed { .. } => "browser_failed",
            Self::SignInWindowFailed { .. } => "sign_in_window_failed",
            Self::OpenFailed { .. } => "open_failed",
            Self::Internal { .. } => "internal_error",
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            Self::KeychainUnavailable { problem, .. } => match problem {
                KeychainProblem::NoSessionBus => "Connector Console keeps secrets only in the OS keychain. Start a desktop session with a D-Bus session bus (on a server, run it inside `dbus-run-session`), then restart the app.".into(),
                KeychainProblem::NoSecretService => "Install and start a Secret Service provider such as gnome-keyring or KeePassXC (with Secret Service integration), then check again.".into(),
                KeychainProblem::Locked => "Unlock your keychain (for gnome-keyring: the \"Login\" keyring in Passwords and Keys), then check again.".into(),
                KeychainProblem::Other => "Check that your OS keychain works (for example with `secret-tool`), then check again.".into(),
            },
            Self::KeychainCorrupt { .. } => "Remove the entry and sign in again.".into(),
            Self::InvalidInput { .. } => "Correct the field and try again.".into(),
            Self::UnknownScope { suggestions, .. } if !suggestions.is_empty() => {
                format!("Did you mean {}?", suggestions.join(", "))
            }
            Self::UnknownScope { .. } => "Use scope strings such as vso.work_full, or the names shown on the app registration such as \"Work items (full)\".".into(),
            Self::ScopeInputTooLong { .. } => "Paste only the app registration's Authorized scopes.".into(),
            Self::Storage { .. } => "Check that the disk is not full and that you can write to the app's data folder. Nothing was changed.".into(),
            Self::SettingsTooNew { .. } => "Update Connector Console. The file was left untouched.".into(),
            Self::Fields(_) => "Correct the fields marked below; nothing was saved.".into(),
            Self::InvalidScope { remedy, .. } => remedy.clone(),
            Self::Entra { hint, .. } => hint.clone(),
            Self::SignInDeclined => "Nothing was stored. Click Sign In again and choose Accept to authorize the connector.".into(),
            Self::AdminConsentRequired { .. } => "Send your admin the admin-consent link below (Copy link), or open it if you are an admin of that tenant. Once they accept for the organization, press Next to check again, then Sign In.".into(),
            Self::SignInCancelled => "The sign-in window was closed before Microsoft answered. Nothing was stored; click Sign In to try again.".into(),
            Self::SignInTimedOut { .. } => "Nothing was stored. Click Sign In to try again.".into(),
            Self::StateMismatch => "Nothing was stored. This can happen when an old or foreign sign-in link is used. Click Sign In to start a new sign-in.".into(),
            Self::SignInBusy => "Finish or cancel the sign-in that is open first.".into(),
            Self::SignInRefused { .. } => "Nothing was stored. Check the app registration, then try again.".into(),
            Self::InvalidClient { .. } => "Check that you entered the \"Client Secret\" (behind the Show button on the app's page), not the \"App Secret\", and that it hasn't been regenerated. Nothing was stored.".into(),
            Self::NeedsReauth { .. } => "Sign in again to re-authorize the connector.".into(),
            Self::TokenServiceUnavailable { .. } | Self::UnexpectedResponse { .. } => "This is on Microsoft's side. Nothing was changed; try again in a few minutes.".into(),
            Self::Network { .. } => "Nothing was changed. Check your network connection (and any proxy), then try again.".into(),
            Self::TokenRejected => "Sign in again. If it happens right after signing in, the token may have been sent with the wrong scheme or has been revoked.".into(),
            Self::OAuthDisabledByOrg { org } => format!("Check the policy: an organization admin must turn on \"Third-party application access via OAuth\" in Organization settings → Policies (https://dev.azure.com/{org}/_settings/organizationPolicy). If it is on, check that the signed-in account is a member of {org}. Entra ID apps are not affected by this policy."),
            Self::ScopeMissing { .. } => "Use an app registration that has this scope (a legacy app's scopes can't be edited: register a new one), add it to the Connector Library entry, then Re-authenticate.".into(),
            Self::LegacySecretRejected { shared: true } => "Signing in again alone won't help: paste the app's new Client Secret into the Connector Library entry (Set up → Client Secret → Save). Microsoft ends the tokens issued with an expired or regenerated secret, so each installation then needs Re-authenticate.".into(),
            Self::LegacySecretRejected { shared: false } => "Signing in again won't help alone: click Re-authenticate and enter your app's new Client Secret; the installation keeps its organization, project and history.".into(),
            Self::WrongTenant { org_tenant: Some(t), .. } => format!("Sign in with an account of tenant {t}: leave the Tenant ID blank (the organization's tenant is then used) or enter {t}, and check that the account is a member of the organization."),
            Self::WrongTenant { org_tenant: None, .. } => "Leave the Tenant ID blank so the organization's tenant is used, and check that the account is a member of the organization.".into(),
            Self::WrongTenantToken { org_tenant, token_tenant, .. } => format!("Re-authenticate so the app signs in at the organization's tenant {org_tenant}, not {token_tenant}: leave the installation's Tenant ID blank (the organization's tenant is then found and used) or set it to {org_tenant}. A guest account signs in there too, not at its home tenant."),
            Self::SingleTenantAppElsewhere { org_tenant, learned_from: None, .. } => format!("Signing in would fail (AADSTS700016). The one fix: the app's owner sets Supported account types to \"Accounts in any organizational directory\" (App registrations → the app → Authentication) and clears \"Single-tenant app's tenant\" in its entry. An app registered in tenant {org_tenant} works too."),
            Self::SingleTenantAppElsewhere { org_tenant, learned_from: Some(_), .. } => format!("Signing in would fail (AADSTS700016). The one fix: the app's owner sets Supported account types to \"Accounts in any organizational directory\" (App registrations → the app → Authentication), then saves the app's Library entry again, which forgets what sign-ins taught. An app registered in tenant {org_tenant} works too."),
            Self::Busy { .. } => "It may be waiting for the OS keychain to be unlocked: unlock it, or close the other process (a window, a `connector-console` or Git run), then try again.".into(),
            Self::EndpointMismatch { .. } => format!("Its tokens and Client Secret go only where they came from. Start Connector Console as it was when you installed it (with or without {}), or install it again here.", "CONNECTOR_CONSOLE_MICROSOFT_URL"),
            Self::ClaimsChallenge { .. } => "Click Re-authenticate: it signs in again with what your organization now requires.".into(),
            Self::AuditUnavailable { org, not_entra_backed, legacy } => audit::hint(org, *not_entra_backed, *legacy),
            Self::NotAuthorized { org } => format!("The scopes cover this call, so the signed-in account lacks access: check that it is a member of {org} with permission for this project, and that the Entra app has the Azure DevOps permission configured (API permissions → Azure DevOps)."),
            Self::TooManyIds { limit } => format!("Ask for at most {limit} ids at a time."),
            Self::Throttled { .. } => "Nothing was changed. Wait a minute and run it again.".into(),
            Self::Cancelled => "Nothing more was sent. Run it again when you are ready.".into(),
            Self::ManagedByPolicy { .. } => "It comes from a policy file your organization deployed and can't be changed or cleared here. Ask your IT department to change the policy.".into(),
            Self::LegacyStillInUse { .. } => "Move them first (Re-authenticate with Entra in Installations), or uninstall them; the legacy app stays until then.".into(),
            Self::NoInstallation { available, .. } if available.is_empty() => "Nothing is installed yet: open Connector Console and install the connector first.".into(),
            Self::NoInstallation { available, .. } => format!("Installations: {}.", available.join("; ")),
            Self::AmbiguousInstallation { choices } => format!("Add --org, --project or --installation. The matches: {}.", choices.join("; ")),
            Self::OrgNotFound { available, .. } if !available.is_empty() => format!("Check the Organization ID (the name in https://dev.azure.com/<organization>). This account belongs to: {}.", available.join(", ")),
            Self::OrgNotFound { .. } => "Check the Organization ID (the name in https://dev.azure.com/<organization>), or sign in with an account that belongs to it.".into(),
            Self::ProjectNotFound { org, available, .. } if !available.is_empty() => format!("Choose one of the projects in {org} this account can see: {}. Nothing was stored.", available.join(", ")),
            Self::ProjectNotFound { .. } => "Check the Project Name (spaces and case as shown in Azure DevOps). Nothing was stored.".into(),
            Self::AzureDevOps { .. } => "Check the organization, the project and the app's scopes, then try again.".into(),
            Self::Import { .. } => "Paste the whole text of an entry exported from Connector Console.".into(),
            Self::NotFound(_) => "Set it up first.".into(),
            Self::SettingsInvalid { .. } => "The file was edited by hand or by an older version. Re-authenticate or uninstall the installation it names; nothing else is affected.".into(),
            Self::CredentialsMissing => "Sign in again to re-authorize the connector. If you use several keyrings, check that the one Connector Console used is unlocked.".into(),
            Self::SecretMissing => "Ask the library admin to save the Azure DevOps entry again with its Client Secret.".into(),
            Self::TokensNotSaved { source } => source.hint(),
            Self::BrowserFailed { .. } => "Sign in with a window inside Connector Console instead, or copy the sign-in link into a browser yourself. Nothing was stored.".into(),
            Self::SignInWindowFailed { .. } => "Nothing was stored. Try again; if it repeats, check the log file.".into(),
            Self::OpenFailed { url, .. } => format!("Open {url} yourself."),
            Self::Internal { .. } => "Nothing was changed. Try again; if it repeats, report it with the log file.".into(),
        }
    }

    /// One field's problem as a form error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Fields(vec![FieldError::new(field, message)])
    }
}

#[cfg(test)]
mod tests;
