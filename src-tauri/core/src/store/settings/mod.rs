//! Settings: the model (this file), the atomic versioned file (`file.rs`) and
//! the store with the one way to change them (`store.rs`).

mod file;
mod store;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::model::audience::LearnedAudience;
use crate::model::ids::ClientId;
use crate::model::installation::{Installation, InstallationId};
use crate::model::library_entry::LibraryEntry;
use crate::model::scopes::GrantedScopes;
use crate::model::secret_expiry::ExpiredSecret;
use crate::model::test_sign_in::TestedSignIn;

pub use file::{Loaded, SettingsFile, Stamp};
pub use store::SettingsStore;

pub const SETTINGS_VERSION: u32 = 1;
pub const FILE_NAME: &str = "settings.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub version: u32,
    /// Library entries by connector id. No entry = Bring your own app.
    #[serde(default)]
    pub library: BTreeMap<String, LibraryEntry>,
    /// During a move to Entra ID, the connector's other entry: the Entra one being
    /// introduced (before the switch), or the legacy one kept for the installations not
    /// moved yet and for switching back (after it). Shared installations refresh with
    /// the entry of their own kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub library_alternate: BTreeMap<String, LibraryEntry>,
    #[serde(default)]
    pub installations: Vec<Installation>,
    /// Authorized scopes of legacy app registrations, by client id, as learned
    /// from Microsoft's token responses: the one source that knows them. Read once, when the
    /// file is: a scope the catalog doesn't know is kept, and never makes the file unreadable.
    #[serde(default)]
    pub known_registrations: BTreeMap<ClientId, GrantedScopes>,
    /// How long a sign-in may wait for an answer.
    #[serde(default = "default_sign_in_timeout")]
    pub sign_in_timeout_secs: u64,
    /// Entra sign-in in an app window instead of the system browser.
    #[serde(default)]
    pub entra_embedded_window: bool,
    /// Connectors whose policy-managed entry has its Client Secret in this machine's keychain.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub managed_secrets: BTreeSet<String>,
    /// Desktop notifications (Needs re-auth, a Client Secret expiring): on unless turned off.
    /// Written only when off, so a file from before the setting is saved back unchanged.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub desktop_notifications: bool,
    /// When each installation was last the subject of a desktop notification (Unix seconds):
    /// at most one a day, across restarts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notified_at: BTreeMap<InstallationId, u64>,
    /// During a move to Entra ID, the last test sign-in that worked with the prepared Entra
    /// app, by connector (never any token: see `services::signin::test`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub test_sign_ins: BTreeMap<String, TestedSignIn>,
    /// What Microsoft's answers taught about Library Entra apps' audiences, by Client ID
    /// (lowercase, as `ClientId` keeps it): apart from the entries' values, so a policy-managed entry learns too.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub learned_audiences: BTreeMap<ClientId, LearnedAudience>,
    /// Shared legacy apps' Client Secrets that stopped working, by connector: who must sign
    /// in again (`services::installations::expired`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub expired_secrets: BTreeMap<String, ExpiredSecret>,
}

fn is_true(on: &bool) -> bool {
    *on
}

fn default_true() -> bool {
    true
}

fn default_sign_in_timeout() -> u64 {
    600
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            library: BTreeMap::new(),
            library_alternate: BTreeMap::new(),
            installations: Vec::new(),
            known_registrations: BTreeMap::new(),
            sign_in_timeout_secs: default_sign_in_timeout(),
            entra_embedded_window: false,
            managed_secrets: BTreeSet::new(),
            desktop_notifications: true,
            notified_at: BTreeMap::new(),
            test_sign_ins: BTreeMap::new(),
            learned_audiences: BTreeMap::new(),
            expired_secrets: BTreeMap::new(),
        }
    }
}

/// The one lookup of an installation by id.
impl Settings {
    pub fn installation(&self, id: &InstallationId) -> Option<&Installation> {
        self.installations.iter().find(|i| &i.id == id)
    }

    pub fn installation_mut(&mut self, id: &InstallationId) -> Option<&mut Installation> {
        self.installations.iter_mut().find(|i| &i.id == id)
    }
}

pub fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
