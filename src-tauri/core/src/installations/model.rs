//! What the Install form submits, and the rules for installations' ids and
//! refresh timing. The stored record is `records::Installation`.

use std::collections::BTreeMap;

use rand::distributions::{Alphanumeric, DistString};
use serde::Deserialize;

pub use crate::records::{AppSource, Installation};
use crate::secret::Secret;

/// What the Install form submits.
#[derive(Debug, Clone, Deserialize)]
pub struct InstallInput {
    pub connector: String,
    pub organization: String,
    pub project: String,
    /// Required when the library entry is blank (Bring your own app).
    #[serde(default)]
    pub own_app: Option<OwnApp>,
    /// The user confirmed their own app's scopes are exactly those registered.
    #[serde(default)]
    pub scopes_confirmed: bool,
    /// Re-authenticate this installation instead of creating a new one.
    #[serde(default)]
    pub reauth: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OwnApp {
    pub auth_type: String,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub secret: Option<Secret>,
}

pub fn new_id() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 12).to_ascii_lowercase()
}
