//! After a shared legacy app's Client Secret actually stopped working (its recorded date
//! passed, or Microsoft refused it), every installation signed in with it must sign in again:
//! Microsoft ends every token issued with an expired or regenerated secret. This says so in
//! one place, with the installations it concerns, for the window's "Re-authenticate all".
//!
//! Which installations: until the admin saved a new secret, all of them; then those signed in
//! with the dead secret at that save that have not signed in (or refreshed) since. What is
//! known of the secret is kept by `model::secret_expiry` (refused at refresh, replaced at
//! save, left by each sign-in).

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

use super::{InstallationView, Installations};
use crate::model::connectors::AuthKind;
use crate::model::installation::AppSource;
use crate::model::secret_expiry::expired;
use crate::store::settings::now_secs;

/// One shared app whose secret expired, and the installations that must sign in again.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SecretExpired {
    pub connector: String,
    /// `YYYY-MM-DD`: the recorded expiry date, or the day Microsoft refused the secret.
    pub expired_on: String,
    /// Microsoft refused the secret (expired or regenerated), rather than its date passing.
    pub refused: bool,
    /// The admin saved a new secret since: signing in again works. Until then it can't.
    pub new_secret_saved: bool,
    /// Every installation signed in with the dead secret, in the list's order.
    pub installations: Vec<InstallationView>,
}

impl Installations {
    /// Each shared legacy app whose secret expired, with the installations of this endpoint
    /// that must sign in again; none once every one of them has.
    pub fn secret_expired(&self) -> Vec<SecretExpired> {
        let settings = self.state.settings.get();
        let endpoint = self.state.endpoints().overridden_by.clone();
        let now = now_secs();
        let mut notices = Vec::new();
        for connector in settings.installations.iter().map(|i| i.connector.as_str()).collect::<BTreeSet<_>>() {
            let entry = self.state.library_entry(connector).filter(|e| e.auth_type == AuthKind::Legacy);
            let recorded = entry.as_ref().and_then(|e| e.values.get("client_secret_expires")).map(String::as_str);
            let Some(dead) = expired(settings.expired_secrets.get(connector), recorded, now) else { continue };
            let installations: Vec<InstallationView> = settings
                .installations
                .iter()
                .filter(|i| i.connector == connector && i.source == AppSource::Shared && i.auth_type == AuthKind::Legacy)
                .filter(|i| i.endpoint == endpoint && dead.to_sign_in_again.as_ref().is_none_or(|ids| ids.contains(&i.id)))
                .map(|i| self.view_of(i))
                .collect();
            if !installations.is_empty() {
                notices.push(SecretExpired {
                    connector: connector.to_string(),
                    expired_on: dead.on,
                    refused: dead.refused,
                    new_secret_saved: dead.to_sign_in_again.is_some(),
                    installations,
                });
            }
        }
        notices
    }
}
