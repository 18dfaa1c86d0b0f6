//! The library service: list, save, clear, export and import entries. The
//! secret goes to the keychain first; if the settings file then can't be
//! written, the keychain is put back as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::connectors::AuthKind;
use crate::model::connectors::{self, Manifest};
use crate::model::install_link;
use crate::model::installation::AppSource;
use crate::model::library_entry::{self as model, EntryInput, ExportedEntry, LibraryEntry};
use crate::model::secret_expiry;
use crate::model::test_sign_in::TestedSignIn;
use crate::model::validate;
use crate::secret::Secret;
use crate::services::context::Context;
use crate::store::keychain::{library_secret, managed_secret, shared_secret_before_kinds, SecretStore};
use crate::store::settings::now_secs;
use ts_rs::TS;

/// Who set the connector's Library entry, and the entry: sent as `mode` beside `entry`, so
/// the window's type says an entry is there exactly when the mode has one.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Mode {
    /// Deployed by the organization's policy file; read-only here.
    Managed { entry: LibraryEntry },
    /// Set up here; every install uses it.
    Shared { entry: LibraryEntry },
    /// Left blank; each install brings its own app. (`entry` is `null`, as the window reads it.)
    BringYourOwn { entry: () },
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectorView {
    pub manifest: &'static Manifest,
    #[serde(flatten)]
    pub mode: Mode,
    /// The callback / redirect URI to register, when it can be known.
    pub redirect_uri: Option<String>,
    /// How many installations signed in with this entry's app (Clear stops them).
    pub installations_using: usize,
    /// A legacy Client Secret expiring within 14 days (or expired), from the recorded date; or
    /// refused by Microsoft, until a new one is saved.
    pub secret_warning: Option<String>,
    /// During a move to Entra ID, the other entry (see `Settings::library_alternate`).
    pub alternate: Option<LibraryEntry>,
    /// Shared installations on each flow: the move's "N of M moved".
    pub shared_legacy: usize,
    pub shared_entra: usize,
    /// A managed entry's move to Entra ID: the policy file's `migrate_by` date.
    pub migrate_by: Option<String>,
    /// The link that opens Install for this connector (the card's "Copy install link").
    pub install_link: String,
    /// Before the switch to Entra ID: the last test sign-in that worked with the prepared
    /// Entra app as it is now (`SignIn::test_prepared`); `None` while none has.
    pub test_sign_in: Option<TestedSignIn>,
    /// An Entra entry: what sign-ins taught about its app's audience, in one line
    /// (`model::audience`); `None` while nothing was.
    pub learned_audience: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SaveOutcome {
    pub connector: ConnectorView,
    pub warnings: Vec<String>,
}

/// Why a shared-app installation stopped after Clear.
pub const SHARED_APP_REMOVED: &str = "the shared app was removed from the Connector Library: Re-authenticate with your own app";

pub struct Library {
    state: Arc<Context>,
    /// One save or clear at a time: each spans a keychain write and a settings update.
    turn: tokio::sync::Mutex<()>,
}

fn view(manifest: &'static Manifest, entry: Option<LibraryEntry>, managed: bool) -> ConnectorView {
    let redirect_uri = entry.as_ref().and_then(|e| manifest.auth_option(e.auth_type)?.redirect_for(&e.values));
    let expires = entry.as_ref().and_then(|e| e.values.get("client_secret_expires").cloned());
    let secret_warning = secret_expiry::warning(expires.as_deref(), now_secs(), "this entry");
    let mode = match entry {
        Some(entry) if managed => Mode::Managed { entry },
        Some(entry) => Mode::Shared { entry },
        None => Mode::BringYourOwn { entry: () },
    };
    ConnectorView {
        manifest,
        mode,
        redirect_uri,
        secret_warning,
        installations_using: 0,
        alternate: None,
        shared_legacy: 0,
        shared_entra: 0,
        migrate_by: None,
        install_link: install_link::for_connector(&manifest.id),
        test_sign_in: None,
        learned_audience: None,
    }
}

impl ConnectorView {
    /// The Library entry, unless each install brings its own app.
    pub fn entry(&self) -> Option<&LibraryEntry> {
        match &self.mode {
            Mode::Managed { entry } | Mode::Shared { entry } => Some(entry),
            Mode::BringYourOwn { .. } => None,
        }
    }
}

impl Library {
    pub fn new(state: Arc<Context>) -> Self {
        Self { state, turn: tokio::sync::Mutex::new(()) }
    }

    /// Every connector with its library entry, if any.
    pub fn list(&self) -> Vec<ConnectorView> {
        let settings = self.state.settings.get();
        let shared = |id: &str, kind: Option<AuthKind>| {
            settings
                .installations
                .iter()
                .filter(|i| i.connector == id && i.source == AppSource::Shared && kind.is_none_or(|k| i.auth_type == k))
                .count()
        };
        connectors::all()
            .iter()
            .map(|m| {
                let alternate = self.state.alternate_entry(&m.id);
                let test_sign_in = settings
                    .test_sign_ins
                    .get(&m.id)
                    .filter(|t| alternate.as_ref().is_some_and(|a| t.is_for(a.client_id().as_ref(), a.updated_at)))
                    .cloned();
                (m, alternate, test_sign_in)
            })
            .map(|(m, alternate, test_sign_in)| (m, alternate, test_sign_in, self.state.library_entry(&m.id)))
            .map(|(m, alternate, test_sign_in, entry)| ConnectorView {
                learned_audience: entry
                    .as_ref()
                    .filter(|e| e.auth_type == AuthKind::Entra)
                    .and_then(|e| self.state.learned_audience(&e.client_id()?)?.line()),
                installations_using: shared(&m.id, None),
                alternate,
                test_sign_in,
                migrate_by: self.state.managed_migrate_by(&m.id),
                shared_legacy: shared(&m.id, Some(AuthKind::Legacy)),
                shared_entra: shared(&m.id, Some(AuthKind::Entra)),
                ..view(m, entry, self.state.is_managed(&m.id))
            })
            .map(|mut v| {
                // A secret Microsoft refused says so until a new one is saved, before its recorded date.
                let refused =
                    v.entry().filter(|e| e.auth_type == AuthKind::Legacy).and_then(|_| settings.expired_secrets.get(&v.manifest.id));
                v.secret_warning = secret_expiry::refused_warning(refused).or(v.secret_warning.take());
                v
            })
            .collect()
    }

    fn not_managed(&self, connector: &str) -> Result<()> {
        match self.state.is_managed(connector) {
            true => Err(Error::ManagedByPolicy { connector: connector.to_string() }),
            false => Ok(()),
        }
    }

    /// A managed legacy entry's Client Secret, entered once per machine: only to
    /// the keychain, and the settings remember that it is there.
    pub async fn save_managed_secret(&self, connector: &str, secret: Secret) -> Result<ConnectorView> {
        let manifest = connectors::require(connector)?;
        let Some(entry) = self.state.library_entry(connector).filter(|_| self.state.is_managed(connector)) else {
            return Err(Error::NotFound(format!("a managed entry for {connector}")));
        };
        if secret.is_empty() {
            return Err(Error::field("client_secret", "Enter the Client Secret your IT department gave you."));
        }
        let _turn = self.turn.lock().await;
        let account = managed_secret(connector);
        let value = Secret::new(secret.expose().trim());
        self.state.secrets(move |s| s.set(&account, &value)).await?;
        self.state.settings.update(|s| Ok(s.managed_secrets.insert(connector.to_string())))?;
        tracing::info!(connector, auth_type = %entry.auth_type, "managed entry's secret saved on this machine");
        Ok(view(manifest, self.state.library_entry(connector), true))
    }

    /// Validates and saves an entry: the secret first, then the settings file.
    pub async fn save(&self, input: EntryInput) -> Result<SaveOutcome> {
        self.state.settings.writable()?;
        let manifest = connectors::require(&input.connector)?;
        self.not_managed(&manifest.id)?;
        let _turn = self.turn.lock().await;
        let existing = self.state.settings.get().library.get(&manifest.id).cloned();
        // The stored secret belongs to the stored app: kept only for the same auth type and
        // Client ID. An import or edit that names another app needs that app's secret.
        let same_app = |e: &LibraryEntry| {
            e.auth_type.as_str() == input.auth_type.trim()
                && e.values.get("client_id").map(|c| c.trim().to_ascii_lowercase())
                    == input.values.get("client_id").map(|c| c.trim().to_ascii_lowercase())
        };
        let had_secret = existing.as_ref().is_some_and(|e| e.has_secret && same_app(e));
        let stale_secret = existing.as_ref().is_some_and(|e| e.has_secret && !same_app(e));
        let valid = model::validate_entry(manifest, &input, had_secret).map_err(Error::Fields)?;
        // The keychain changes, each with what to put back if the file can't be written: the
        // new secret into this kind's account, and the replaced app's secret out of its own
        // account when that is another one (an entry that changed kind) or no new one comes.
        let mut changes: Vec<(String, Option<Secret>)> = Vec::new();
        let account = library_secret(&manifest.id, valid.auth_type);
        if let Some(secret) = valid.new_secret.clone() {
            changes.push((account.clone(), Some(secret)));
        }
        if let Some(old) = existing.as_ref().filter(|_| stale_secret) {
            let old_account = library_secret(&manifest.id, old.auth_type);
            if old_account != account || valid.new_secret.is_none() {
                changes.push((old_account, None));
            }
        }
        let written = self.state.secrets(move |s| write_secrets(s, changes)).await?;
        let entry = LibraryEntry {
            auth_type: valid.auth_type,
            values: valid.values,
            has_secret: valid.new_secret.is_some() || had_secret,
            updated_at: now_secs(),
        };
        let saved = entry.clone();
        let stored = self.state.settings.update(|s| {
            // The admin's save is the word on the app now: what sign-ins taught about its
            // audience is forgotten (after its owner made it multitenant, say), and learned anew.
            if let Some(client_id) = saved.client_id() {
                s.learned_audiences.remove(&client_id);
            }
            // A new secret in place of one that expired: who is signed in with the dead one must again.
            if saved.auth_type == AuthKind::Legacy && valid.new_secret.is_some() {
                let recorded =
                    existing.as_ref().filter(|e| e.auth_type == AuthKind::Legacy).and_then(|e| e.values.get("client_secret_expires"));
                let signed_in_with_it = s
                    .installations
                    .iter()
                    .filter(|i| i.connector == manifest.id && i.source == AppSource::Shared && i.auth_type == AuthKind::Legacy)
                    .map(|i| i.id.clone())
                    .collect();
                secret_expiry::replaced(
                    &mut s.expired_secrets,
                    &manifest.id,
                    recorded.map(String::as_str),
                    saved.updated_at,
                    signed_in_with_it,
                );
            }
            s.library.insert(manifest.id.clone(), saved);
            Ok(())
        });
        if let Err(e) = stored {
            self.put_back(written, "save").await;
            return Err(e);
        }
        tracing::info!(connector = %manifest.id, auth_type = %entry.auth_type, "library entry saved");
        Ok(SaveOutcome { connector: view(manifest, Some(entry), false), warnings: valid.warnings })
    }

    /// A rotation's last step: the legacy entry's next secret (already proven by a renewal)
    /// becomes its secret, with its expiry date. The keychain first; put back if the file
    /// can't be written.
    pub(super) async fn take_next_secret(&self, connector: &str, next: Secret, expires: Option<String>) -> Result<ConnectorView> {
        let manifest = connectors::require(connector)?;
        let _turn = self.turn.lock().await;
        let changes = vec![(library_secret(connector, AuthKind::Legacy), Some(next))];
        let written = self.state.secrets(move |s| write_secrets(s, changes)).await?;
        let stored = self.state.settings.update(|s| {
            let entry = s.library.get_mut(connector).ok_or_else(|| Error::NotFound(format!("a library entry for {connector}")))?;
            match &expires {
                Some(date) => entry.values.insert("client_secret_expires".into(), date.clone()),
                None => entry.values.remove("client_secret_expires"),
            };
            entry.has_secret = true;
            entry.updated_at = now_secs();
            Ok(())
        });
        if let Err(e) = stored {
            self.put_back(written, "rotation").await;
            return Err(e);
        }
        tracing::info!(connector, "legacy entry's next secret taken into use");
        Ok(view(manifest, self.state.library_entry(connector), false))
    }

    /// The redirect (callback) URI to register for an app of this auth type with these values as
    /// typed: the form shows the one the sign-in will use (`None` while a value is missing).
    pub fn redirect_uri(&self, connector: &str, auth_type: &str, values: &BTreeMap<String, String>) -> Result<Option<String>> {
        let manifest = connectors::require(connector)?;
        let kind: AuthKind = auth_type.parse()?;
        let auth = manifest.auth_option(kind).ok_or_else(|| Error::NotFound(format!("{auth_type} for {connector}")))?;
        Ok(validate::redirect_uri(auth, values))
    }

    /// Puts the keychain back as it was before `what` wrote it, when the settings file then
    /// refused the change: the secret must not point nowhere, nor the entry to a wrong one.
    async fn put_back(&self, written: Vec<(String, Option<Secret>)>, what: &'static str) {
        if let Err(u) = self.state.secrets(move |s| write_secrets(s, written).map(drop)).await {
            tracing::error!(error = %u, what, "could not restore the previous secret after a failed settings write");
        }
    }

    /// Turns the entry back into Bring your own app: the secret first, then the
    /// entry. A keychain that refuses the delete changes nothing, so no secret is
    /// left behind that nothing points to.
    pub async fn clear(&self, connector: &str) -> Result<ConnectorView> {
        let manifest = connectors::require(connector)?;
        self.not_managed(&manifest.id)?;
        self.state.settings.writable()?;
        let _turn = self.turn.lock().await;
        // Each entry's secret, in force or (during a move to Entra ID) kept beside it; an Entra
        // entry's may still be in the account earlier builds shared.
        let settings = self.state.settings.get();
        let entries = [settings.library.get(&manifest.id), settings.library_alternate.get(&manifest.id)];
        let mut accounts: Vec<String> =
            entries.iter().flatten().filter(|e| e.has_secret).map(|e| library_secret(&manifest.id, e.auth_type)).collect();
        if entries.iter().flatten().any(|e| e.has_secret && e.auth_type == AuthKind::Entra) {
            accounts.push(shared_secret_before_kinds(&manifest.id));
        }
        if !accounts.is_empty() {
            self.state.secrets(move |s| accounts.iter().try_for_each(|a| s.delete(a))).await?;
        }
        // Installations that signed in with the shared app can't refresh without it: they
        // say so now, not at their next refresh.
        let id = manifest.id.clone();
        self.state.settings.update(|s| {
            s.library.remove(&id);
            s.library_alternate.remove(&id);
            for i in s.installations.iter_mut().filter(|i| i.connector == id && i.source == AppSource::Shared) {
                i.needs_reauth = Some(SHARED_APP_REMOVED.into());
            }
            Ok(())
        })?;
        tracing::info!(connector = %manifest.id, "library entry cleared");
        Ok(view(manifest, None, false))
    }

    /// The entry as JSON, without its secret.
    pub fn export(&self, connector: &str) -> Result<String> {
        let entry = self.state.library_entry(connector);
        let entry = entry.ok_or_else(|| Error::NotFound(connector.to_string()))?;
        serde_json::to_string_pretty(&model::export(connector, &entry)).map_err(|e| Error::Internal { detail: e.to_string() })
    }

    /// Writes the exported entry as a small JSON file in `dir`, never over an existing file.
    pub fn export_file(&self, connector: &str, dir: &Path) -> Result<PathBuf> {
        let text = self.export(connector)?;
        crate::store::new_file::create_new(dir, &format!("connector-console-{connector}"), "json", text.as_bytes())
    }

    /// Reads an exported entry back, to pre-fill the form.
    pub fn import(&self, text: &str) -> Result<ExportedEntry> {
        model::import(text, connectors::get).map_err(|problem| Error::Import { what: "The pasted entry".into(), problem })
    }

    /// Microsoft's registration page for an auth type, from the manifest.
    pub fn registration_url(&self, connector: &str, auth_type: AuthKind) -> Result<&'static str> {
        let manifest = connectors::require(connector)?;
        let auth = manifest.auth_option(auth_type).ok_or_else(|| Error::NotFound(format!("auth type \"{auth_type}\"")))?;
        Ok(&auth.registration_url)
    }
}

/// Sets (`Some`) or deletes (`None`) each account in turn; returns what each held before,
/// in reverse order, as the changes that undo them. A failure part-way undoes what was done.
fn write_secrets(store: &dyn SecretStore, changes: Vec<(String, Option<Secret>)>) -> Result<Vec<(String, Option<Secret>)>> {
    let mut undo: Vec<(String, Option<Secret>)> = Vec::new();
    for (account, value) in changes {
        let previous = store.get(&account)?;
        let done = match &value {
            Some(v) => store.set(&account, v),
            None => store.delete(&account),
        };
        if let Err(e) = done {
            // Best effort: the caller reports the first failure, which is what matters.
            for (a, p) in undo.into_iter().rev() {
                let _ = match p {
                    Some(p) => store.set(&a, &p),
                    None => store.delete(&a),
                };
            }
            return Err(e);
        }
        undo.push((account, previous));
    }
    undo.reverse();
    Ok(undo)
}
