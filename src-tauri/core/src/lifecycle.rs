//! The token lifecycle: refresh before expiry and on demand, one token request
//! per installation however many callers ask at once, rotation that stores the
//! new refresh token before the new access token is used, and a status that
//! tells the truth: Connected, Refreshing, Needs re-auth, or Error (retrying).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast;

use crate::console::{blocking, secret_account as library_secret_account, Console};
use crate::error::{Error, UiError};
use crate::installations::{refresh_margin, secret_account, tokens_account, AppSource, Installation};
use crate::oauth::entra::{self, EntraApp};
use crate::oauth::legacy;
use crate::oauth::token::StoredTokens;
use crate::scopes::parse_scopes;
use crate::secret::Secret;
use crate::settings::now_secs;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    Connected,
    Refreshing,
    NeedsReauth {
        reason: String,
    },
    /// A transient failure; the tokens are kept and a retry is scheduled.
    Error {
        reason: String,
        retry_at: u64,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusEvent {
    pub installation: String,
    pub status: Status,
    pub access_expires_at: u64,
    pub last_refreshed_at: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstallationView {
    #[serde(flatten)]
    pub installation: Installation,
    pub status: Status,
    /// The connector methods the granted scopes allow, and those they don't.
    pub methods_available: Vec<String>,
    pub methods_unavailable: Vec<String>,
}

/// One refresh at a time per installation. `generation` counts finished
/// refreshes, so a caller that waited knows one happened and shares its outcome.
#[derive(Default)]
pub(crate) struct Flight {
    lock: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    last_error: Mutex<Option<UiError>>,
    failures: AtomicU64,
}

/// Runtime lifecycle state, kept beside the settings.
pub(crate) struct Lifecycle {
    statuses: Mutex<HashMap<String, Status>>,
    flights: Mutex<HashMap<String, Arc<Flight>>>,
    /// New tokens Microsoft issued that the keychain refused; never dropped.
    pending: Mutex<HashMap<String, StoredTokens>>,
    events: broadcast::Sender<StatusEvent>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self { statuses: Mutex::default(), flights: Mutex::default(), pending: Mutex::default(), events: broadcast::channel(1024).0 }
    }
}

fn backoff(failures: u64) -> u64 {
    (30u64 << failures.min(5)).min(600)
}

fn transient(e: &Error) -> bool {
    matches!(
        e,
        Error::TokenServiceUnavailable { .. }
            | Error::UnexpectedResponse { .. }
            | Error::Network { .. }
            | Error::KeychainUnavailable { .. }
    )
}

impl Console {
    fn flight(&self, id: &str) -> Arc<Flight> {
        self.lifecycle.flights.lock().unwrap().entry(id.to_string()).or_default().clone()
    }

    fn installation(&self, id: &str) -> Result<Installation, UiError> {
        self.settings
            .lock()
            .unwrap()
            .installations
            .iter()
            .find(|i| i.id == id)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("installation {id}")).to_ui())
    }

    pub fn status(&self, id: &str) -> Status {
        match self.installation(id) {
            Ok(i) => self.status_of(&i),
            Err(_) => self.lifecycle.statuses.lock().unwrap().get(id).cloned().unwrap_or(Status::Connected),
        }
    }

    /// The live status if anything happened since start-up, else what the file remembers.
    fn status_of(&self, i: &Installation) -> Status {
        if let Some(s) = self.lifecycle.statuses.lock().unwrap().get(&i.id) {
            return s.clone();
        }
        match &i.needs_reauth {
            Some(reason) => Status::NeedsReauth { reason: reason.clone() },
            None => Status::Connected,
        }
    }

    pub(crate) fn set_status(&self, id: &str, status: Status) {
        self.lifecycle.statuses.lock().unwrap().insert(id.to_string(), status.clone());
        let (expires, refreshed) = self.installation(id).map(|i| (i.access_expires_at, i.last_refreshed_at)).unwrap_or((0, None));
        // Nobody listening is fine: the UI may not be open.
        let _ = self.lifecycle.events.send(StatusEvent {
            installation: id.to_string(),
            status,
            access_expires_at: expires,
            last_refreshed_at: refreshed,
        });
    }

    pub(crate) fn forget_runtime_state(&self, id: &str) {
        self.lifecycle.statuses.lock().unwrap().remove(id);
        self.lifecycle.pending.lock().unwrap().remove(id);
        self.lifecycle.flights.lock().unwrap().remove(id);
    }

    /// Status changes as they happen, for the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.lifecycle.events.subscribe()
    }

    pub fn installation_views(&self) -> Vec<InstallationView> {
        self.installations()
            .into_iter()
            .map(|i| {
                let granted = parse_scopes(&i.scopes).unwrap_or_default();
                let (ok, missing): (Vec<_>, Vec<_>) = crate::scopes::methods_available(&granted).into_iter().partition(|m| m.available);
                InstallationView {
                    status: self.status_of(&i),
                    installation: i,
                    methods_available: ok.into_iter().map(|m| m.method.name).collect(),
                    methods_unavailable: missing.into_iter().map(|m| m.method.name).collect(),
                }
            })
            .collect()
    }

    fn is_due(&self, i: &Installation, now: u64) -> bool {
        now + refresh_margin(i.access_lifetime_secs) >= i.access_expires_at
    }

    /// A usable access token: the stored one while it is fresh, else a refresh.
    pub async fn access_token(&self, id: &str) -> Result<Secret, UiError> {
        let i = self.installation(id)?;
        if let Some(reason) = i.needs_reauth {
            return Err(Error::NeedsReauth { description: reason }.to_ui());
        }
        if self.is_due(&i, now_secs()) {
            return self.refresh(id).await;
        }
        match self.read_tokens(id).await? {
            Some(t) => Ok(Secret::new(t.access)),
            None => Err(self.credentials_missing(id)),
        }
    }

    /// The keychain answers but has no tokens for this installation. Shown as
    /// Needs re-auth, but not written to disk: another keyring (a different
    /// session, a restored backup) may well have them, and a restart re-checks.
    fn credentials_missing(&self, id: &str) -> UiError {
        let reason = "credentials missing from keychain".to_string();
        tracing::warn!(installation = id, "no tokens in the keychain for this installation");
        self.set_status(id, Status::NeedsReauth { reason: reason.clone() });
        Error::NeedsReauth { description: reason }.to_ui()
    }

    async fn read_tokens(&self, id: &str) -> Result<Option<StoredTokens>, UiError> {
        let store = self.keychain().await?;
        let account = tokens_account(id);
        let secret = blocking(move || store.get(&account)).await?;
        Ok(secret.as_ref().and_then(StoredTokens::from_secret))
    }

    async fn needs_reauth(&self, id: &str, reason: String) -> UiError {
        tracing::warn!(installation = id, reason, "installation needs re-authentication");
        let _turn = self.writes.lock().await;
        let mut next = self.settings.lock().unwrap().clone();
        if let Some(i) = next.installations.iter_mut().find(|i| i.id == id) {
            i.needs_reauth = Some(reason.clone());
        }
        // If this write fails the status still says so; it is re-derived on the next failure.
        if self.file.save(&next).is_ok() {
            *self.settings.lock().unwrap() = next;
        }
        self.set_status(id, Status::NeedsReauth { reason: reason.clone() });
        Error::NeedsReauth { description: reason }.to_ui()
    }

    /// Refreshes now. Concurrent callers share one token request and its outcome.
    pub async fn refresh(&self, id: &str) -> Result<Secret, UiError> {
        let flight = self.flight(id);
        let seen = flight.generation.load(Ordering::SeqCst);
        let _turn = flight.lock.lock().await;
        if flight.generation.load(Ordering::SeqCst) != seen {
            // Someone refreshed while this caller waited: share their outcome.
            if let Some(e) = flight.last_error.lock().unwrap().clone() {
                return Err(e);
            }
            return self.read_tokens(id).await?.map(|t| Secret::new(t.access)).ok_or_else(|| self.credentials_missing(id));
        }
        let outcome = self.refresh_locked(id, &flight).await;
        *flight.last_error.lock().unwrap() = outcome.as_ref().err().cloned();
        flight.generation.fetch_add(1, Ordering::SeqCst);
        outcome
    }

    async fn refresh_locked(&self, id: &str, flight: &Flight) -> Result<Secret, UiError> {
        let i = self.installation(id)?;
        if i.needs_reauth.is_some() {
            return Err(Error::NeedsReauth { description: i.needs_reauth.unwrap_or_default() }.to_ui());
        }
        self.set_status(id, Status::Refreshing);
        let result = self.rotate(&i).await;
        match &result {
            Ok(_) => {
                flight.failures.store(0, Ordering::SeqCst);
                self.set_status(id, Status::Connected);
            }
            Err(e) if e.code == "credentials_missing" => return Err(self.credentials_missing(id)),
            Err(e) if e.code == "needs_reauth" || e.code == "invalid_client" => {
                return Err(self.needs_reauth(id, format!("{} {}", e.message, e.hint)).await);
            }
            Err(e) => {
                let n = flight.failures.fetch_add(1, Ordering::SeqCst);
                let retry_at = now_secs() + backoff(n);
                tracing::warn!(installation = id, code = %e.code, retry_at, "refresh failed; tokens kept, will retry");
                self.set_status(id, Status::Error { reason: e.message.clone(), retry_at });
            }
        }
        result
    }

    /// One rotation: get new tokens, store them, then record the new expiry.
    async fn rotate(&self, i: &Installation) -> Result<Secret, UiError> {
        let store = self.keychain().await?;
        let pending = self.lifecycle.pending.lock().unwrap().remove(&i.id);
        let (fresh, expires_in) = match pending {
            // Tokens from an earlier rotation the keychain refused: store them first.
            Some(t) => (t, i.access_lifetime_secs),
            None => {
                let Some(current) = self.read_tokens(&i.id).await? else {
                    return Err(UiError::new("credentials_missing", "credentials missing from keychain", ""));
                };
                let Some(refresh) = current.refresh.clone().map(Secret::new) else {
                    return Err(Error::NeedsReauth { description: "no refresh token was issued".into() }.to_ui());
                };
                let secret = self.app_secret(i).await?;
                let values = self.app_values(i)?;
                let callback = Self::manifest(&i.connector)?
                    .auth_type(&i.auth_type)
                    .and_then(|a| a.redirect_for(&values))
                    .ok_or_else(|| Error::NeedsReauth { description: "the app's callback URL is unknown".into() }.to_ui())?;
                let result = if i.auth_type == "legacy" {
                    let Some(secret) = &secret else {
                        return Err(
                            Error::NeedsReauth { description: "the app's Client Secret is missing from the keychain".into() }.to_ui()
                        );
                    };
                    legacy::token(self.http(), &self.endpoints.vssps, secret, &callback, legacy::Grant::Refresh(&refresh)).await
                } else {
                    let scopes = parse_scopes(values.get("scopes").map(String::as_str).unwrap_or("")).unwrap_or_default();
                    let tenant = values.get("tenant_id").cloned().unwrap_or_else(|| "organizations".into());
                    let app = EntraApp {
                        login: &self.endpoints.login,
                        tenant: &tenant,
                        client_id: values.get("client_id").map(String::as_str).unwrap_or(""),
                        secret: secret.as_ref(),
                        scopes: &scopes,
                    };
                    entra::refresh(self.http(), &app, &callback, &refresh).await
                };
                let set =
                    result
                        .map_err(|e| if transient(&e) { e.to_ui() } else { Error::NeedsReauth { description: e.to_string() }.to_ui() })?;
                // Keep the old refresh token only if Microsoft sent no new one.
                let refresh = set.refresh.map(|r| r.expose().to_string()).or(current.refresh);
                (StoredTokens { access: set.access.expose().to_string(), refresh }, set.expires_in)
            }
        };
        let (s, account, value) = (store.clone(), tokens_account(&i.id), fresh.to_secret());
        if let Err(e) = blocking(move || s.set(&account, &value)).await {
            // Rotation already killed the old refresh token at Microsoft: these are
            // the only good tokens, so keep them in memory until the keychain takes them.
            self.lifecycle.pending.lock().unwrap().insert(i.id.clone(), fresh);
            return Err(UiError::new(
                e.code.as_str(),
                format!("New tokens could not be saved to the keychain ({}). They are kept in memory and saving is retried.", e.message),
                e.hint,
            ));
        }
        let now = now_secs();
        let _turn = self.writes.lock().await;
        let mut next = self.settings.lock().unwrap().clone();
        if let Some(x) = next.installations.iter_mut().find(|x| x.id == i.id) {
            x.access_expires_at = now + expires_in;
            x.access_lifetime_secs = expires_in;
            x.last_refreshed_at = Some(now);
            x.needs_reauth = None;
        }
        match self.file.save(&next) {
            Ok(()) => *self.settings.lock().unwrap() = next,
            // The tokens are safe in the keychain; only the expiry on disk is stale,
            // which at worst causes one early refresh after a restart.
            Err(e) => tracing::error!(error = %e, "refreshed tokens stored, but the settings file could not be updated"),
        }
        tracing::info!(installation = %i.id, "tokens refreshed");
        Ok(Secret::new(fresh.access))
    }

    /// The app's Client Secret, if it has one (an Entra public client has none).
    async fn app_secret(&self, i: &Installation) -> Result<Option<Secret>, UiError> {
        let store = self.keychain().await?;
        let account = match i.source {
            AppSource::Shared => library_secret_account(&i.connector),
            AppSource::Own => secret_account(&i.id),
        };
        blocking(move || store.get(&account)).await
    }

    /// The non-secret details of the app an installation signed in with.
    fn app_values(&self, i: &Installation) -> Result<std::collections::BTreeMap<String, String>, UiError> {
        match i.source {
            AppSource::Own => Ok(i.own_app.clone()),
            AppSource::Shared => {
                self.settings.lock().unwrap().library.get(&i.connector).map(|e| e.values.clone()).ok_or_else(|| {
                    Error::NeedsReauth { description: "the shared app was removed from the Connector Library".into() }.to_ui()
                })
            }
        }
    }

    /// Refreshes every installation that is due (proactive refresh). Returns how many were tried.
    pub async fn refresh_due(self: &Arc<Self>) -> usize {
        let now = now_secs();
        let due: Vec<String> = self
            .installations()
            .into_iter()
            .filter(|i| i.needs_reauth.is_none() && self.is_due(i, now))
            .filter(|i| match self.status_of(i) {
                Status::Error { retry_at, .. } => retry_at <= now,
                Status::NeedsReauth { .. } => false,
                _ => true,
            })
            .filter(|i| self.flight(&i.id).lock.try_lock().is_ok())
            .map(|i| i.id)
            .collect();
        let mut set = tokio::task::JoinSet::new();
        for id in &due {
            let (me, id) = (self.clone(), id.clone());
            set.spawn(async move { me.refresh(&id).await });
        }
        while set.join_next().await.is_some() {}
        due.len()
    }

    /// Runs proactive refresh for the life of the app.
    pub fn start_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                me.refresh_due().await;
            }
        })
    }
}
