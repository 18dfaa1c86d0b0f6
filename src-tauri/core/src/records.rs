//! The records the settings file stores: library entries and installations.
//! They sit below the settings and the services, so both can use them
//! without a cycle. Their serialized form is the settings file's format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::azure_devops::Profile;
use crate::connectors::Manifest;
use crate::error::Result;
use crate::registration::{AppRegistration, AuthKind};

/// A saved entry. `values` holds every non-secret field, normalized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryEntry {
    pub auth_type: AuthKind,
    pub values: BTreeMap<String, String>,
    /// Whether a Client Secret is in the keychain for this entry.
    pub has_secret: bool,
    /// Seconds since the Unix epoch.
    pub updated_at: u64,
}

impl LibraryEntry {
    /// The app this entry describes, parsed from its values.
    pub fn registration(&self, manifest: &Manifest) -> Result<AppRegistration> {
        AppRegistration::from_values(manifest, self.auth_type, &self.values)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppSource {
    /// The library entry's app.
    Shared,
    /// The user's own app, given at install.
    Own,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Installation {
    pub id: String,
    pub connector: String,
    pub organization: String,
    pub project: String,
    pub project_id: String,
    pub auth_type: AuthKind,
    pub source: AppSource,
    /// Non-secret values of the user's own app (client id, scopes, domain…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub own_app: BTreeMap<String, String>,
    /// Scopes granted, as Microsoft reported them (or as requested).
    pub scopes: String,
    pub user: Profile,
    /// Unix seconds.
    pub access_expires_at: u64,
    /// The lifetime Microsoft gave the last access token; sets the refresh margin.
    #[serde(default = "default_lifetime")]
    pub access_lifetime_secs: u64,
    pub last_refreshed_at: Option<u64>,
    pub created_at: u64,
    /// Set when Microsoft stopped accepting the refresh token; cleared by a new sign-in.
    #[serde(default)]
    pub needs_reauth: Option<String>,
}

fn default_lifetime() -> u64 {
    3600
}

impl Installation {
    /// The user's own app this installation signed in with (`None` for the shared app).
    pub fn own_registration(&self, manifest: &Manifest) -> Option<Result<AppRegistration>> {
        (self.source == AppSource::Own).then(|| AppRegistration::from_values(manifest, self.auth_type, &self.own_app))
    }
}
