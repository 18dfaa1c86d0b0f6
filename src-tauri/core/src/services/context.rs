//! The one application state every service works over: where data lives, the
//! Microsoft endpoints, the HTTP client, the keychain and the settings store.
//! It also answers what several services ask alike (the Library entry in force, an app's
//! secret wherever it is kept, moving a secret out of an account earlier builds used), so each
//! asks it one way. Services hold an `Arc<Context>` and their own state.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::app_choice::SecretSource;
use crate::error::{Error, Result};
use crate::microsoft::endpoints::Endpoints;
use crate::model::audience::LearnedAudience;
use crate::model::connectors::AuthKind;
use crate::model::ids::{ClientId, TenantId};
use crate::model::installation::{Installation, InstallationId};
use crate::model::library_entry::LibraryEntry;
use crate::model::registration::AppRegistration;
use crate::model::secret_expiry;
use crate::notice::{Notice, NoticeCode};
use crate::secret::Secret;
use crate::store::keychain::{
    installation_secret, library_secret, managed_secret, open_platform_store, shared_secret_before_kinds, Reconnecting, SecretStore,
    StoreOpener,
};
use crate::store::policy::Policy;
use crate::store::settings::{now_secs, SettingsStore};
use ts_rs::TS;

pub struct Context {
    data_dir: PathBuf,
    endpoints: Endpoints,
    pub settings: SettingsStore,
    /// Library entries an organization manages by policy file; read-only here.
    policy: Policy,
    keychain: Arc<Reconnecting>,
    /// Built on first use: loading the TLS roots costs tens of milliseconds at start-up.
    http: OnceLock<reqwest::Client>,
    /// How long a keychain call may take; unset (the window) waits, so an unlock prompt
    /// can be answered. A command line sets it: a locked keyring must not hang a script.
    keychain_timeout: OnceLock<std::time::Duration>,
    /// How long to wait for another process's hold on an installation, when set (a
    /// command line: a `git fetch` must not hang for minutes); else derived.
    lock_wait: OnceLock<std::time::Duration>,
    notices: Vec<Notice>,
}

/// The app's name, version, where its data lives, and anything unusual.
#[derive(Debug, Clone, Serialize, TS)]
pub struct About {
    pub name: &'static str,
    pub version: &'static str,
    pub data_dir: String,
    pub endpoints: Endpoints,
    pub notices: Vec<Notice>,
}

impl Context {
    /// The real app: the platform keychain.
    pub fn open(data_dir: impl Into<PathBuf>, endpoints: Endpoints) -> Self {
        Self::with_store_opener(data_dir, endpoints, Arc::new(open_platform_store))
    }

    /// Any store: unit tests use an in-memory one, fault tests a failing one.
    /// The policy file comes from its system location (or `CONNECTOR_CONSOLE_POLICY`).
    pub fn with_store_opener(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener) -> Self {
        Self::with_policy(data_dir, endpoints, open_store, &crate::store::policy::path_from_env())
    }

    /// The same with the policy file at `policy_path`.
    pub fn with_policy(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener, policy_path: &Path) -> Self {
        let data_dir = data_dir.into();
        let (settings, mut notices) = SettingsStore::open(&data_dir);
        let (policy, policy_notice) = Policy::load(policy_path);
        notices.extend(policy_notice);
        if let Some(base) = &endpoints.overridden_by {
            notices.push(Notice {
                code: NoticeCode::EndpointOverride,
                message: format!("Microsoft endpoints are overridden: every request goes to {base}."),
            });
        }
        Self {
            data_dir,
            endpoints,
            settings,
            policy,
            keychain: Arc::new(Reconnecting::new(open_store)),
            http: OnceLock::new(),
            keychain_timeout: OnceLock::new(),
            lock_wait: OnceLock::new(),
            notices,
        }
    }

    pub fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(crate::microsoft::http::client)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Whether the organization's policy file turns desktop notifications off.
    pub fn notifications_off_by_policy(&self) -> bool {
        self.policy.notifications_off
    }

    /// Whether the organization manages this connector's entry by policy.
    pub fn is_managed(&self, connector: &str) -> bool {
        self.policy.entries.contains_key(connector)
    }

    /// The library entry sign-in and refresh use: the policy's when managed
    /// (its secret, if any, entered on this machine), else the one saved here.
    pub fn library_entry(&self, connector: &str) -> Option<LibraryEntry> {
        let settings = self.settings.get();
        match self.policy.entries.get(connector) {
            Some(_) if self.managed_move_due(connector) => self.policy.moves.get(connector).map(|m| m.entra.clone()),
            Some(managed) => Some(LibraryEntry { has_secret: settings.managed_secrets.contains(connector), ..managed.clone() }),
            None => settings.library.get(connector).cloned(),
        }
    }

    /// During a move to Entra ID, the entry not in force: the policy's other one when
    /// it deploys the move, else the one the admin saved beside.
    pub fn alternate_entry(&self, connector: &str) -> Option<LibraryEntry> {
        let settings = self.settings.get();
        match (self.policy.entries.get(connector), self.policy.moves.get(connector)) {
            (Some(legacy), Some(_)) if self.managed_move_due(connector) => {
                Some(LibraryEntry { has_secret: settings.managed_secrets.contains(connector), ..legacy.clone() })
            }
            (Some(_), Some(m)) => Some(m.entra.clone()),
            (Some(_), None) => None,
            (None, _) => settings.library_alternate.get(connector).cloned(),
        }
    }

    /// The policy's `migrate_by` date for the connector, if it deploys a move.
    pub fn managed_migrate_by(&self, connector: &str) -> Option<String> {
        self.policy.moves.get(connector).map(|m| m.migrate_by.clone())
    }

    /// Whether the policy's move is in force: from its `migrate_by` day on.
    fn managed_move_due(&self, connector: &str) -> bool {
        let today = (crate::store::settings::now_secs() / 86_400) as i64;
        self.policy.moves.get(connector).is_some_and(|m| today >= m.migrate_by_day)
    }

    /// The library entry a shared installation refreshes with: of its own kind, the one in
    /// force or (during a move to Entra ID) the other; else the one in force.
    pub fn shared_entry_for(&self, installation: &Installation) -> Option<LibraryEntry> {
        let in_force = self.library_entry(&installation.connector);
        if in_force.as_ref().is_some_and(|e| e.auth_type == installation.auth_type) {
            return in_force;
        }
        self.alternate_entry(&installation.connector).filter(|e| e.auth_type == installation.auth_type).or(in_force)
    }

    /// What Microsoft's answer to a Library Entra app's token request (or sign-in) teaches
    /// about the app's audience (`model::audience`). Written only when it teaches something;
    /// a settings file that can't be written loses the lesson, never the sign-in or refresh.
    pub fn learn_audience(&self, app: &AppRegistration, answer: std::result::Result<(), &Error>) {
        if app.is_legacy() {
            return;
        }
        // Where the request went: with no tenant set, `organizations` (as `EntraApp` asks).
        let tenant = app.tenant.as_ref().unwrap_or(TenantId::organizations());
        let mut learned = self.learned_audience(&app.client_id).unwrap_or_default();
        if !learned.hear(tenant, answer) {
            return;
        }
        tracing::info!(client_id = %app.client_id, tenant = %tenant, audience = ?learned.audience, "learned about the app's audience");
        let written = self.settings.update(|s| Ok(s.learned_audiences.entry(app.client_id.clone()).or_default().hear(tenant, answer)));
        if let Err(e) = written {
            tracing::warn!(error = %e, "could not record what was learned about the app's audience");
        }
    }

    /// Microsoft refused the connector's shared legacy secret (at a refresh or a sign-in): it
    /// is dead, so its installations must sign in again once a new one is saved
    /// (`model::secret_expiry`). Recorded once: each refusal after it writes nothing.
    pub fn secret_refused(&self, connector: &str) {
        if self.settings.get().expired_secrets.get(connector).is_some_and(|e| e.to_sign_in_again.is_none()) {
            return;
        }
        match self.settings.update(|s| Ok(secret_expiry::refused(&mut s.expired_secrets, connector, now_secs()))) {
            Ok(_) => tracing::info!(connector, "the shared app's legacy secret was refused: its installations must sign in again"),
            Err(e) => tracing::warn!(connector, error = %e, "could not record the shared app's refused secret"),
        }
    }

    /// What Microsoft's answers taught about the app with this Client ID.
    pub fn learned_audience(&self, client_id: &ClientId) -> Option<LearnedAudience> {
        self.settings.get().learned_audiences.get(client_id).cloned()
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
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

    /// Opens (and self-tests) the keychain if it isn't open yet, or failed since.
    pub async fn keychain_check(&self) -> Result<()> {
        let kc = self.keychain.clone();
        self.blocking(move || kc.get_or_open().map(drop)).await
    }

    /// Runs keychain work off the async threads (keychain calls block on D-Bus).
    /// Each call reopens the keychain if it had become unavailable.
    pub async fn secrets<T: Send + 'static>(&self, op: impl FnOnce(&dyn SecretStore) -> Result<T> + Send + 'static) -> Result<T> {
        let kc = self.keychain.clone();
        self.blocking(move || op(kc.as_ref())).await
    }

    /// The installation with this id, as the settings hold it now.
    pub fn installation(&self, id: &InstallationId) -> Result<Installation> {
        self.settings.get().installation(id).cloned().ok_or_else(|| Error::NotFound(format!("installation {id}")))
    }

    /// An app's Client Secret, wherever it comes from (`None`: the app has none).
    pub async fn app_secret(&self, source: &SecretSource) -> Result<Option<Secret>> {
        let account = match source {
            SecretSource::Given(secret) => return Ok(secret.clone()),
            SecretSource::Library { connector, .. } if self.is_managed(connector) => return self.managed_secret(connector).await,
            SecretSource::Library { connector, kind: AuthKind::Entra } => return self.entra_entry_secret(connector).await,
            SecretSource::Library { connector, kind: AuthKind::Legacy } => library_secret(connector, AuthKind::Legacy),
            SecretSource::Installation(id) => installation_secret(id),
        };
        self.secrets(move |s| s.get(&account)).await
    }

    /// A (confidential) Entra entry's secret. Earlier builds kept it in the one account every
    /// entry shared: it moves to its own on first use, unless a legacy entry may own that one.
    async fn entra_entry_secret(&self, connector: &str) -> Result<Option<Secret>> {
        let settings = self.settings.get();
        let is_legacy = |e: &LibraryEntry| e.auth_type == AuthKind::Legacy;
        let legacy_owns_old =
            settings.library.get(connector).is_some_and(is_legacy) || settings.library_alternate.get(connector).is_some_and(is_legacy);
        let (new, old) = (library_secret(connector, AuthKind::Entra), shared_secret_before_kinds(connector));
        self.secrets(move |s| {
            if let Some(secret) = s.get(&new)? {
                return Ok(Some(secret));
            }
            let Some(moved) = s.get(&old)?.filter(|_| !legacy_owns_old) else {
                return Ok(None);
            };
            s.set(&new, &moved)?;
            s.delete(&old)?;
            Ok(Some(moved))
        })
        .await
    }

    /// A managed entry's secret. Earlier builds kept it under the library's account (the
    /// settings' `managed_secrets` says one was saved here): it moves to its own account on
    /// first use, unless a local entry's secret may be the one there (then it is asked again).
    async fn managed_secret(&self, connector: &str) -> Result<Option<Secret>> {
        let settings = self.settings.get();
        let saved_here = settings.managed_secrets.contains(connector);
        let local_owns_old = settings.library.get(connector).is_some_and(|e| e.has_secret);
        let (new, old) = (managed_secret(connector), shared_secret_before_kinds(connector));
        self.secrets(move |s| {
            if let Some(secret) = s.get(&new)? {
                return Ok(Some(secret));
            }
            let Some(moved) = s.get(&old)?.filter(|_| saved_here && !local_owns_old) else {
                return Ok(None);
            };
            s.set(&new, &moved)?;
            s.delete(&old)?;
            Ok(Some(moved))
        })
        .await
    }

    /// Bounds every keychain call from now on (once; later calls are ignored).
    pub fn set_keychain_timeout(&self, limit: std::time::Duration) {
        let _ = self.keychain_timeout.set(limit);
    }

    /// Bounds the wait for another process's hold on an installation (once; later calls
    /// are ignored). Past it, the wait ends in a `busy` error that names the holder.
    pub fn set_lock_wait(&self, limit: std::time::Duration) {
        let _ = self.lock_wait.set(limit);
    }

    /// How long to wait for another process's hold on an installation: as set, else its
    /// refresh (the HTTP timeout) and its keychain calls, with a margin.
    pub fn lock_wait(&self) -> std::time::Duration {
        if let Some(limit) = self.lock_wait.get() {
            return *limit;
        }
        let keychain = self.keychain_timeout.get().copied().unwrap_or(std::time::Duration::from_secs(30));
        crate::microsoft::http::TIMEOUT + keychain * 2 + std::time::Duration::from_secs(5)
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
        let call = tokio::task::spawn_blocking(f);
        let joined = match self.keychain_timeout.get() {
            None => call.await,
            Some(limit) => tokio::time::timeout(*limit, call).await.map_err(|_| Error::KeychainUnavailable {
                problem: crate::error::KeychainProblem::Locked,
                detail: format!(
                    "the keychain did not answer within {} s; it is probably locked and waiting for an unlock prompt",
                    limit.as_secs()
                ),
            })?,
        };
        joined.map_err(|join| Error::Internal { detail: format!("a keychain operation crashed: {join}") })?
    }
}
