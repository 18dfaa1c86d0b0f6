//! The keychain account names, in one place: what docs/configuration.md documents and
//! what `secret-tool search --all service connector-console` shows.

/// A library entry's Client Secret.
pub fn library_secret(connector: &str) -> String {
    format!("library/{connector}/client-secret")
}

/// A managed (policy) entry's Client Secret, entered on this machine. Its own account:
/// a local entry's secret must never stand in for the managed app's, or the reverse.
pub fn managed_secret(connector: &str) -> String {
    format!("managed/{connector}/client-secret")
}

/// An installation's tokens (compact `{"a","r"}` JSON).
pub fn installation_tokens(id: &str) -> String {
    format!("installation/{id}/tokens")
}

/// The Client Secret of an installation's own app.
pub fn installation_secret(id: &str) -> String {
    format!("installation/{id}/client-secret")
}
