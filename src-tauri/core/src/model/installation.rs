//! An installation: the stored record (its serialized form is the settings
//! file's format), what the Install form submits, and new installations' ids.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::ids::TenantId;
pub use crate::model::ids::{new_id, InstallationId};
use crate::model::profile::Profile;
use crate::model::registration::AuthKind;
use crate::model::scopes::GrantedScopes;
use crate::secret::Secret;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppSource {
    /// The library entry's app.
    Shared,
    /// The user's own app, given at install.
    Own,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Installation {
    #[ts(as = "String")]
    pub id: InstallationId,
    pub connector: String,
    pub organization: String,
    pub project: String,
    pub project_id: String,
    pub auth_type: AuthKind,
    pub source: AppSource,
    /// Non-secret values of the user's own app (client id, scopes, domain…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(as = "Option<BTreeMap<String, String>>", optional)]
    pub own_app: BTreeMap<String, String>,
    /// Scopes granted, as Microsoft reported them (or as requested); space-separated on disk.
    #[ts(as = "String")]
    pub scopes: GrantedScopes,
    pub user: Profile,
    /// Unix seconds.
    #[ts(type = "number")]
    pub access_expires_at: u64,
    /// The lifetime Microsoft gave the last access token; sets the refresh margin.
    #[serde(default = "default_lifetime")]
    #[ts(type = "number")]
    pub access_lifetime_secs: u64,
    #[ts(type = "number | null")]
    pub last_refreshed_at: Option<u64>,
    #[ts(type = "number")]
    pub created_at: u64,
    /// Entra: the tenant signed in to, when the registration names none (the
    /// organization's, discovered at sign-in). Refresh uses the same authority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<String>", optional)]
    pub tenant: Option<TenantId>,
    /// The Microsoft endpoint override this installation was made against (`None`:
    /// Microsoft itself). Its tokens and secret are never sent anywhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub endpoint: Option<String>,
    /// A Continuous Access Evaluation claims challenge (base64) the next sign-in must
    /// answer; cleared by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub claims: Option<String>,
    /// Set when Microsoft stopped accepting the refresh token; cleared by a new sign-in.
    /// The reason alone: what `Error::NeedsReauth` says after its own opening.
    #[serde(default, deserialize_with = "reason_only")]
    pub needs_reauth: Option<String>,
}

/// How `Error::NeedsReauth` opens (a test ties the two together).
const NEEDS_REAUTH_OPENING: &str = "Microsoft no longer accepts this sign-in: ";

/// Earlier builds stored the whole message, sometimes nested ("Microsoft no longer accepts
/// this sign-in: Microsoft no longer accepts this sign-in: invalid_grant"): read back, the
/// reason is what follows the openings, so it is said once.
fn reason_only<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let stored = Option::<String>::deserialize(d)?;
    Ok(stored.map(|mut reason| {
        while let Some(rest) = reason.strip_prefix(NEEDS_REAUTH_OPENING) {
            reason = rest.to_string();
        }
        reason
    }))
}

fn default_lifetime() -> u64 {
    3600
}

/// What the Install form submits.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct InstallInput {
    pub connector: String,
    pub organization: String,
    pub project: String,
    /// Required when the library entry is blank (Bring your own app).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub own_app: Option<OwnApp>,
    /// The user confirmed their own app's scopes are exactly those registered.
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub scopes_confirmed: bool,
    /// Re-authenticate this installation instead of creating a new one.
    // Read as sent, not checked: it only looks an installation up (one not there means a
    // new installation).
    #[serde(default)]
    #[ts(as = "Option<String>", optional = nullable)]
    pub reauth: Option<InstallationId>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct OwnApp {
    pub auth_type: String,
    #[serde(default)]
    #[ts(as = "Option<BTreeMap<String, String>>", optional)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional = nullable)]
    pub secret: Option<Secret>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_stored_with_the_messages_opening_reads_back_as_the_reason() {
        let opening = crate::error::Error::NeedsReauth { description: String::new() }.to_string();
        assert_eq!(opening, NEEDS_REAUTH_OPENING, "the error's wording changed: update NEEDS_REAUTH_OPENING");
        let fixture = include_str!("../../tests/fixtures/settings-v1.json");
        let settings: serde_json::Value = serde_json::from_str(fixture).unwrap();
        let stored = settings["installations"][1].clone();
        assert!(stored["needs_reauth"].as_str().unwrap().starts_with(NEEDS_REAUTH_OPENING), "the fixture is an earlier build's");
        let read: Installation = serde_json::from_value(stored).unwrap();
        assert_eq!(read.needs_reauth.as_deref(), Some("invalid_grant"));
        let twice = serde_json::json!(format!("{NEEDS_REAUTH_OPENING}{NEEDS_REAUTH_OPENING}AADSTS70008: expired"));
        assert_eq!(reason_only(twice).unwrap().as_deref(), Some("AADSTS70008: expired"));
    }
}
