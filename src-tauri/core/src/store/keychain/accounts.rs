//! The keychain account names, in one place: what docs/configuration.md documents and
//! what `secret-tool search --all service connector-console` shows.

use crate::model::connectors::AuthKind;
use crate::model::ids::InstallationId;

/// A library entry's Client Secret, one account per kind of entry: during a move to Entra
/// ID the legacy entry and the Entra one live side by side, and an Entra app's secret must
/// never replace the legacy one that legacy installations still send. The legacy entry
/// keeps the account every entry used before (`shared_secret_before_kinds`).
pub fn library_secret(connector: &str, kind: AuthKind) -> String {
    match kind {
        AuthKind::Legacy => shared_secret_before_kinds(connector),
        AuthKind::Entra => format!("library/{connector}/entra/client-secret"),
    }
}

/// The one account earlier builds kept any library entry's secret in. An Entra entry with
/// a secret saved by such a build finds it here (`Context::app_secret` moves it).
pub fn shared_secret_before_kinds(connector: &str) -> String {
    format!("library/{connector}/client-secret")
}

/// A managed (policy) entry's Client Secret, entered on this machine. Its own account:
/// a local entry's secret must never stand in for the managed app's, or the reverse.
pub fn managed_secret(connector: &str) -> String {
    format!("managed/{connector}/client-secret")
}

/// An installation's tokens (compact `{"a","r"}` JSON).
pub fn installation_tokens(id: &InstallationId) -> String {
    format!("installation/{id}/tokens")
}

/// The Client Secret of an installation's own app.
pub fn installation_secret(id: &InstallationId) -> String {
    format!("installation/{id}/client-secret")
}
