//! The app's state, independent of any window: settings, the keychain, the
//! endpoints. Tauri commands are thin calls onto this.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::connectors::{self, Manifest};
use crate::endpoints::Endpoints;
use crate::error::{Error, UiError};
use crate::keychain::{platform_value_limit, Chunked, Keychain, SecretStore};
use crate::library::{self, EntryInput, ExportedEntry, LibraryEntry};
use crate::scopes::{self, ScopeInfo};
use crate::settings::{now_secs, Loaded, Settings, SettingsFile};

pub type StoreOpener = Arc<dyn Fn() -> crate::Result<Arc<dyn SecretStore>> + Send + Sync>;

/// Runs keychain work (blocking D-Bus calls) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> crate::Result<T> + Send + 'static) -> Result<T, UiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(|e| e.to_ui()),
        Err(join) => Err(UiError {
            code: "internal_error".into(),
            message: format!("A keychain operation crashed: {join}"),
            hint: "Nothing was changed. Try again; if it repeats, report it with the log file.".into(),
            fields: Vec::new(),
        }),
    }
}

pub struct Console {
    data_dir: PathBuf,
    pub(crate) endpoints: Endpoints,
    pub(crate) file: SettingsFile,
    pub(crate) settings: Mutex<Settings>,
    /// Why settings can't be written, when they can't (a newer or unmovable file).
    read_only: Option<UiError>,
    notices: Vec<Notice>,
    keychain: Arc<Reconnecting>,
    /// Serializes settings writes, which span an await on the keychain.
    pub(crate) writes: tokio::sync::Mutex<()>,
    /// Built on first use: loading the TLS roots costs tens of milliseconds at start-up.
    http: std::sync::OnceLock<reqwest::Client>,
    /// The one sign-in in flight, if any.
    pub(crate) attempt: Mutex<Option<crate::signin::Attempt>>,
    pub(crate) lifecycle: crate::lifecycle::Lifecycle,
}

/// The keychain, opened (with its self-test) on first use and again after
/// any "unavailable" failure: a keychain that was locked, or whose daemon
/// restarted, works again without restarting the app.
struct Reconnecting {
    open: StoreOpener,
    current: Mutex<Option<Arc<dyn SecretStore>>>,
}

impl Reconnecting {
    fn get_or_open(&self) -> crate::Result<Arc<dyn SecretStore>> {
        let mut current = self.current.lock().unwrap();
        if let Some(store) = current.as_ref() {
            return Ok(store.clone());
        }
        match (self.open)() {
            Ok(store) => {
                tracing::info!("keychain opened; self-test passed");
                *current = Some(store.clone());
                Ok(store)
            }
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "keychain unavailable");
                Err(e)
            }
        }
    }

    fn run<T>(&self, op: impl FnOnce(&dyn SecretStore) -> crate::Result<T>) -> crate::Result<T> {
        let store = self.get_or_open()?;
        let result = op(store.as_ref());
        if matches!(result, Err(Error::KeychainUnavailable { .. })) {
            self.current.lock().unwrap().take();
        }
        result
    }
}

impl SecretStore for Reconnecting {
    fn get(&self, account: &str) -> crate::Result<Option<crate::Secret>> {
        self.run(|s| s.get(account))
    }
    fn set(&self, account: &str, value: &crate::Secret) -> crate::Result<()> {
        self.run(|s| s.set(account, value))
    }
    fn delete(&self, account: &str) -> crate::Result<()> {
        self.run(|s| s.delete(account))
    }
}

/// Something the user should know about since start-up.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub code: String,
    pub message: String,
}

/// The app's name, version, where its data lives, and anything unusual.
#[derive(Debug, Clone, Serialize)]
pub struct About {
    pub name: &'static str,
    pub version: &'static str,
    pub data_dir: String,
    pub endpoints: Endpoints,
    pub notices: Vec<Notice>,
}

/// What the UI shows about the keychain: usable, or why not and what to do.
#[derive(Debug, Clone, Serialize)]
pub struct KeychainStatus {
    pub available: bool,
    pub error: Option<UiError>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Set up here; every install uses it.
    Shared,
    /// Left blank; each install brings its own app.
    BringYourOwn,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectorView {
    pub manifest: &'static Manifest,
    pub mode: Mode,
    pub entry: Option<LibraryEntry>,
    /// The callback / redirect URI to register, when it can be known.
    pub redirect_uri: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SaveOutcome {
    pub connector: ConnectorView,
    pub warnings: Vec<String>,
}

/// A scope list as the picker shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeReport {
    /// The exact string that will be sent.
    pub value: String,
    pub names: Vec<String>,
    pub retired: Vec<String>,
    /// Scopes already granted through inclusion, by UI name.
    pub included: Vec<String>,
    pub warning: Option<String>,
}

pub(crate) fn secret_account(connector: &str) -> String {
    format!("library/{connector}/client-secret")
}

impl Console {
    /// The real app: the platform keychain.
    pub fn open(data_dir: impl Into<PathBuf>, endpoints: Endpoints) -> Self {
        Self::with_store_opener(
            data_dir,
            endpoints,
            Arc::new(|| {
                let kc = Keychain::open_platform()?;
                kc.self_test()?;
                Ok(Arc::new(Chunked::new(kc, platform_value_limit())) as Arc<dyn SecretStore>)
            }),
        )
    }

    /// Any store: unit tests use an in-memory one, fault tests a failing one.
    pub fn with_store_opener(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener) -> Self {
        let data_dir = data_dir.into();
        let file = SettingsFile::in_dir(&data_dir);
        let mut notices = Vec::new();
        let mut read_only = None;
        let settings = match file.load() {
            Loaded::Fresh(s) | Loaded::Existing(s) => s,
            Loaded::Quarantined { reason, moved_to } => {
                if moved_to == file.path() {
                    read_only = Some(Error::Storage { path: moved_to.display().to_string(), detail: reason.clone() }.to_ui());
                }
                notices.push(Notice {
                    code: "settings_quarantined".into(),
                    message: format!(
                        "The settings file could not be used because {reason}. It was kept as {} and Connector Console started with empty settings. Secrets in the keychain were not touched.",
                        moved_to.display()
                    ),
                });
                Settings::default()
            }
            Loaded::TooNew { found } => {
                let e = Error::SettingsTooNew { found, supported: crate::settings::SETTINGS_VERSION };
                notices.push(Notice {
                    code: e.code().into(),
                    message: format!("{e}. Nothing is shown from it and nothing will be written. {}", e.hint()),
                });
                read_only = Some(e.to_ui());
                Settings::default()
            }
        };
        if let Some(base) = &endpoints.overridden_by {
            notices.push(Notice {
                code: "endpoint_override".into(),
                message: format!("Microsoft endpoints are overridden: every request goes to {base}."),
            });
        }
        Self {
            data_dir,
            endpoints,
            file,
            settings: Mutex::new(settings),
            read_only,
            notices,
            keychain: Arc::new(Reconnecting { open: open_store, current: Mutex::new(None) }),
            writes: tokio::sync::Mutex::new(()),
            http: std::sync::OnceLock::new(),
            attempt: Mutex::new(None),
            lifecycle: Default::default(),
        }
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(crate::http::client)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    pub fn about(&self) -> About {
        About {
            name: "Connector Console",
            // The workspace shares one version, so the core's is the app's.
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir.display().to_string(),
            endpoints: self.endpoints.clone(),
            notices: self.notices.clone(),
        }
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The keychain, opened and self-tested if it isn't yet (or failed since).
    /// Keychain calls block on D-Bus, so they run off the async threads.
    pub async fn keychain(&self) -> Result<Arc<dyn SecretStore>, UiError> {
        let kc = self.keychain.clone();
        blocking(move || kc.get_or_open()).await?;
        Ok(self.keychain.clone())
    }

    pub async fn keychain_status(&self) -> KeychainStatus {
        match self.keychain().await {
            Ok(_) => KeychainStatus { available: true, error: None },
            Err(e) => KeychainStatus { available: false, error: Some(e) },
        }
    }

    fn view(manifest: &'static Manifest, entry: Option<LibraryEntry>) -> ConnectorView {
        let redirect_uri =
            entry.as_ref().and_then(|e| manifest.auth_type(&e.auth_type)).and_then(|a| a.redirect_for(&entry.as_ref().unwrap().values));
        ConnectorView { manifest, mode: if entry.is_some() { Mode::Shared } else { Mode::BringYourOwn }, entry, redirect_uri }
    }

    /// Every connector with its library entry, if any.
    pub fn library(&self) -> Vec<ConnectorView> {
        let settings = self.settings.lock().unwrap();
        connectors::all().iter().map(|m| Self::view(m, settings.library.get(&m.id).cloned())).collect()
    }

    pub(crate) fn manifest(id: &str) -> Result<&'static Manifest, UiError> {
        connectors::get(id).ok_or_else(|| Error::NotFound(format!("connector \"{id}\"")).to_ui())
    }

    pub(crate) fn writable(&self) -> Result<(), UiError> {
        self.read_only.clone().map_or(Ok(()), Err)
    }

    /// Validates and saves an entry. The secret goes to the keychain first; if
    /// the settings file then can't be written, the keychain is put back as it was.
    pub async fn library_save(&self, input: EntryInput) -> Result<SaveOutcome, UiError> {
        self.writable()?;
        let manifest = Self::manifest(&input.connector)?;
        let _turn = self.writes.lock().await;
        let had_secret = self.settings.lock().unwrap().library.get(&manifest.id).is_some_and(|e| e.has_secret);
        let valid = library::validate_entry(manifest, &input, had_secret).map_err(|f| Error::Fields(f).to_ui())?;
        let account = secret_account(&manifest.id);
        let mut restore: Option<(Arc<dyn SecretStore>, Option<crate::Secret>)> = None;
        if let Some(secret) = &valid.new_secret {
            let store = self.keychain().await?;
            let (s, a, v) = (store.clone(), account.clone(), secret.clone());
            let previous = blocking(move || {
                let previous = s.get(&a)?;
                s.set(&a, &v)?;
                Ok(previous)
            })
            .await?;
            restore = Some((store, previous));
        }
        let entry = LibraryEntry {
            auth_type: valid.auth_type,
            values: valid.values,
            has_secret: valid.new_secret.is_some() || had_secret,
            updated_at: now_secs(),
        };
        let mut next = self.settings.lock().unwrap().clone();
        next.library.insert(manifest.id.clone(), entry.clone());
        if let Err(e) = self.file.save(&next) {
            if let Some((store, previous)) = restore {
                let undo = blocking(move || match previous {
                    Some(p) => store.set(&account, &p),
                    None => store.delete(&account),
                })
                .await;
                if let Err(u) = undo {
                    tracing::error!(error = %u.message, "could not restore the previous secret after a failed save");
                }
            }
            return Err(e.to_ui());
        }
        *self.settings.lock().unwrap() = next;
        tracing::info!(connector = %manifest.id, auth_type = %entry.auth_type, "library entry saved");
        Ok(SaveOutcome { connector: Self::view(manifest, Some(entry)), warnings: valid.warnings })
    }

    /// Turns the entry back into Bring your own app: metadata first, then the secret.
    pub async fn library_clear(&self, connector: &str) -> Result<ConnectorView, UiError> {
        self.writable()?;
        let manifest = Self::manifest(connector)?;
        let _turn = self.writes.lock().await;
        let mut next = self.settings.lock().unwrap().clone();
        let removed = next.library.remove(&manifest.id);
        self.file.save(&next).map_err(|e| e.to_ui())?;
        *self.settings.lock().unwrap() = next;
        if removed.is_some_and(|e| e.has_secret) {
            let store = self.keychain().await?;
            let account = secret_account(&manifest.id);
            blocking(move || store.delete(&account)).await?;
        }
        tracing::info!(connector = %manifest.id, "library entry cleared");
        Ok(Self::view(manifest, None))
    }

    pub fn library_export(&self, connector: &str) -> Result<String, UiError> {
        let entry = self.settings.lock().unwrap().library.get(connector).cloned();
        let entry = entry.ok_or_else(|| Error::NotFound(connector.to_string()).to_ui())?;
        Ok(serde_json::to_string_pretty(&library::export(connector, &entry)).expect("plain data serializes"))
    }

    /// Writes the exported entry as a small JSON file in `dir`, never over an existing file.
    pub fn library_export_file(&self, connector: &str, dir: &Path) -> Result<PathBuf, UiError> {
        let text = self.library_export(connector)?;
        let storage = |path: &Path, e: std::io::Error| Error::Storage { path: path.display().to_string(), detail: e.to_string() }.to_ui();
        std::fs::create_dir_all(dir).map_err(|e| storage(dir, e))?;
        for n in 1.. {
            let name =
                if n == 1 { format!("connector-console-{connector}.json") } else { format!("connector-console-{connector}-{n}.json") };
            let path = dir.join(name);
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| storage(&path, e))?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(storage(&path, e)),
            }
        }
        unreachable!("some file name is free")
    }

    pub fn library_import(&self, text: &str) -> Result<ExportedEntry, UiError> {
        library::import(text, connectors::get).map_err(|problem| Error::Import { what: "The pasted entry".into(), problem }.to_ui())
    }

    /// Microsoft's registration page for an auth type, from the manifest.
    pub fn registration_url(&self, connector: &str, auth_type: &str) -> Result<&'static str, UiError> {
        let manifest = Self::manifest(connector)?;
        let auth = manifest.auth_type(auth_type).ok_or_else(|| Error::NotFound(format!("auth type \"{auth_type}\"")).to_ui())?;
        Ok(&auth.registration_url)
    }

    pub fn scope_catalog(&self) -> &'static [ScopeInfo] {
        scopes::catalog().entries()
    }

    pub fn scope_report(&self, text: &str) -> Result<ScopeReport, UiError> {
        let set = scopes::parse_scopes(text).map_err(|e| e.to_ui())?;
        let direct: Vec<&str> = set.iter().collect();
        let included = set
            .effective()
            .into_iter()
            .filter(|s| !direct.contains(&s.as_str()))
            .map(|s| scopes::catalog().name_of(&s).to_string())
            .collect();
        Ok(ScopeReport {
            value: set.to_string(),
            names: set.names(),
            retired: set.retired().into_iter().map(str::to_string).collect(),
            included,
            warning: (!set.is_empty()).then(|| scopes::recommended_scope_warning(&set)).flatten(),
        })
    }
}
