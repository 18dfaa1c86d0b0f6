//! The token lifecycle: refresh before expiry and on demand, one token request
//! per installation however many callers ask at once, rotation that stores the
//! new refresh token before the new access token is used, and a status that
//! tells the truth: Connected, Refreshing, Needs re-auth, or Error (retrying).

mod guards;
mod refresher;
mod rotate;
mod status;
mod timing;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;

pub(crate) use rotate::transient;
pub use status::{forward, Status, StatusEvent, Update, CHANNEL_CAPACITY};

use crate::error::{Error, Result};
use crate::microsoft::oauth::token::StoredTokens;
use crate::model::installation::{Installation, InstallationId};
use crate::secret::{AccessToken, Secret};
use crate::services::context::Context;
use crate::store::filelock;
use crate::store::keychain::installation_tokens;
use crate::store::settings::now_secs;
use crate::sync::lock;
use status::StatusBoard;
use timing::{backoff, is_due};

/// Tokens the keychain refused, kept in memory with when they really expire.
struct Pending {
    tokens: StoredTokens,
    expires_at: u64,
    lifetime: u64,
}

/// One refresh at a time per installation. `generation` counts finished
/// refreshes, so a caller that waited knows one happened and shares its outcome.
#[derive(Default)]
struct Flight {
    /// Held by a refresh for its whole run, and by uninstall and re-authentication,
    /// so none of them can interleave with another's keychain writes.
    lock: Arc<tokio::sync::Mutex<()>>,
    generation: AtomicU64,
    last_error: Mutex<Option<Error>>,
    failures: AtomicU64,
}

/// At most this many token requests at once: a refresh storm (1,000 installations
/// due together after a sleep) must not flood Microsoft or the network.
pub const MAX_CONCURRENT_REFRESHES: usize = 8;
/// The refresher looks again at least this often (new sign-ins, other processes).
const MAX_REFRESHER_SLEEP: Duration = Duration::from_secs(60);

/// An installation locked in this process and across processes.
pub struct InstallationLock {
    _flight: tokio::sync::OwnedMutexGuard<()>,
    _file: filelock::FileLock,
}

pub struct Tokens {
    state: Arc<Context>,
    board: StatusBoard,
    /// Bounds concurrent token requests (see `MAX_CONCURRENT_REFRESHES`).
    requests: tokio::sync::Semaphore,
    /// Wakes the refresher early: a sign-in stored new tokens.
    wake: tokio::sync::Notify,
    flights: Mutex<HashMap<InstallationId, Arc<Flight>>>,
    /// New tokens Microsoft issued that the keychain refused, with their real expiry
    /// and lifetime; never dropped.
    pending: Mutex<HashMap<InstallationId, Pending>>,
}

/// What a refresh changes in the record: if it differs after taking the
/// installation's file lock, another process refreshed in the meantime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    access_expires_at: u64,
    last_refreshed_at: Option<u64>,
}

impl Seen {
    fn of(i: &Installation) -> Self {
        Self { access_expires_at: i.access_expires_at, last_refreshed_at: i.last_refreshed_at }
    }
}

/// What a refresh asks for beyond new tokens.
#[derive(Clone, Copy)]
enum Ask<'a> {
    /// New tokens, as any refresh.
    Plain,
    /// New tokens that answer this Continuous Access Evaluation claims challenge (Entra).
    Claims(&'a str),
    /// New tokens minted with this Client Secret: a rotation's next secret (legacy).
    WithSecret(&'a Secret),
}

impl Ask<'_> {
    fn claims(&self) -> Option<&str> {
        match self {
            Ask::Claims(claims) => Some(claims),
            _ => None,
        }
    }

    /// Another caller's fresh tokens don't answer it: they were minted with the old secret.
    fn needs_its_own(&self) -> bool {
        matches!(self, Ask::WithSecret(_))
    }
}

impl Tokens {
    pub fn new(state: Arc<Context>) -> Self {
        Self {
            state,
            board: StatusBoard::default(),
            requests: tokio::sync::Semaphore::new(MAX_CONCURRENT_REFRESHES),
            wake: tokio::sync::Notify::new(),
            flights: Mutex::default(),
            pending: Mutex::default(),
        }
    }

    fn flight(&self, id: &InstallationId) -> Arc<Flight> {
        lock(&self.flights).entry(id.clone()).or_default().clone()
    }

    fn installation(&self, id: &InstallationId) -> Result<Installation> {
        self.state.installation(id)
    }

    pub fn status(&self, id: &InstallationId) -> Status {
        match self.installation(id) {
            Ok(i) => self.status_of(&i),
            Err(_) => self.board.get(id).unwrap_or(Status::Connected),
        }
    }

    /// The live status if anything happened since start-up, else what the file remembers.
    pub fn status_of(&self, i: &Installation) -> Status {
        // A recorded Needs re-auth wins over the live board: it is written by whoever
        // decided it (this process, another one, or Clear in the Library).
        if let Some(reason) = &i.needs_reauth {
            return Status::NeedsReauth { reason: reason.clone() };
        }
        self.board.get(&i.id).unwrap_or(Status::Connected)
    }

    fn set_status(&self, id: &InstallationId, status: Status) {
        let (access_expires_at, last_refreshed_at) =
            self.installation(id).map(|i| (i.access_expires_at, i.last_refreshed_at)).unwrap_or((0, None));
        self.board.set(StatusEvent { installation: id.clone(), status, access_expires_at, last_refreshed_at });
    }

    /// Waits until no refresh of this installation runs, and keeps others out
    /// while the guard lives: uninstall and re-authentication hold it, so a
    /// refresh can't re-create tokens they removed or overwrite new ones.
    /// Held by whoever changes an installation's tokens: this process's refreshes, and
    /// (through the lock file) every other process's. Store and uninstall take it too,
    /// so a refresh in a command-line process can't undo them.
    pub async fn lock_installation(&self, id: &InstallationId) -> Result<InstallationLock> {
        let flight = self.flight(id).lock.clone().lock_owned().await;
        Ok(InstallationLock { _flight: flight, _file: self.file_lock(id).await? })
    }

    async fn file_lock(&self, id: &InstallationId) -> Result<filelock::FileLock> {
        // Checked again: it becomes a path, and an id read from the settings file is as written.
        let name = format!("installation-{}.lock", InstallationId::parse(id.as_str())?.as_str());
        filelock::lock_async(self.state.data_dir().join("locks").join(name), self.state.lock_wait()).await
    }

    /// Forgets what happened to an installation since start-up: it was
    /// uninstalled, or signed in again and starts afresh.
    pub fn reset(&self, id: &InstallationId) {
        self.board.forget(id);
        lock(&self.pending).remove(id);
        lock(&self.flights).remove(id);
    }

    /// A new sign-in stored these tokens: the installation starts afresh, Connected.
    pub fn signed_in(&self, id: &InstallationId) {
        self.reset(id);
        self.set_status(id, Status::Connected);
        self.wake.notify_one();
    }

    /// Catches up with what another process (a command-line run) saved: the
    /// live status of each installation whose record changed is dropped, so
    /// the record (refreshed, or Needs re-auth) speaks. Returns whether anything changed.
    pub fn catch_up(&self) -> Result<bool> {
        let before = self.state.settings.get();
        if !self.state.settings.reload_if_changed()? {
            return Ok(false);
        }
        for i in &self.state.settings.get().installations {
            if before.installation(&i.id) != Some(i) {
                self.board.forget(&i.id);
            }
        }
        Ok(true)
    }

    /// Status changes as they happen, for the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.board.subscribe()
    }

    /// A usable access token: the stored one while it is fresh, else a refresh.
    pub async fn access_token(&self, id: &InstallationId) -> Result<AccessToken> {
        let i = self.installation(id)?;
        self.same_endpoint(&i)?;
        if let Some(reason) = i.needs_reauth {
            return Err(Error::NeedsReauth { description: reason });
        }
        if is_due(&i, now_secs()) {
            return self.refresh_since(id, Seen::of(&i), Ask::Plain).await;
        }
        match self.read_tokens(id).await? {
            Some(t) => Ok(t.access),
            None => Err(self.credentials_missing(id)),
        }
    }

    /// The keychain answers but has no tokens for this installation. Shown as
    /// Needs re-auth, but not written to disk: another keyring (a different
    /// session, a restored backup) may well have them, and a restart re-checks.
    fn credentials_missing(&self, id: &InstallationId) -> Error {
        let reason = "credentials missing from keychain".to_string();
        tracing::warn!(installation = id.as_str(), "no tokens in the keychain for this installation");
        self.set_status(id, Status::NeedsReauth { reason: reason.clone() });
        Error::NeedsReauth { description: reason }
    }

    async fn read_tokens(&self, id: &InstallationId) -> Result<Option<StoredTokens>> {
        let account = installation_tokens(id);
        let secret = self.state.secrets(move |s| s.get(&account)).await?;
        Ok(secret.as_ref().and_then(StoredTokens::from_secret))
    }

    async fn needs_reauth(&self, id: &InstallationId, reason: String) -> Error {
        tracing::warn!(installation = id.as_str(), reason, "installation needs re-authentication");
        let marked = self.state.settings.update(|s| {
            if let Some(i) = s.installation_mut(id) {
                i.needs_reauth = Some(reason.clone());
            }
            Ok(())
        });
        // If this write fails the status still says so; it is re-derived on the next failure.
        if let Err(e) = marked {
            tracing::warn!(installation = id.as_str(), error = %e, "could not record Needs re-auth in the settings file");
        }
        self.set_status(id, Status::NeedsReauth { reason: reason.clone() });
        Error::NeedsReauth { description: reason }
    }

    /// Azure DevOps rejected a token that was just refreshed: only a new sign-in helps.
    pub async fn rejected(&self, id: &InstallationId) -> Error {
        self.needs_reauth(
            id,
            "Azure DevOps rejected the access token even after a refresh. Sign in again to re-authorize the connector.".into(),
        )
        .await
    }

    /// Refreshes now. Concurrent callers share one token request and its outcome,
    /// in this process and (through a lock file) across processes.
    pub async fn refresh(&self, id: &InstallationId) -> Result<AccessToken> {
        let i = self.installation(id)?;
        self.same_endpoint(&i)?;
        let seen = Seen::of(&i);
        self.refresh_since(id, seen, Ask::Plain).await
    }

    /// Re-mints the installation's tokens with `secret` now, due or not. A legacy app's tokens
    /// die with the secret that minted them, so a rotation renews every installation with the
    /// next secret while the old one still works.
    pub async fn renew_with(&self, id: &InstallationId, secret: &Secret) -> Result<()> {
        let i = self.installation(id)?;
        self.same_endpoint(&i)?;
        self.refresh_since(id, Seen::of(&i), Ask::WithSecret(secret)).await.map(drop)
    }

    /// Refreshes unless someone already did since the record looked like `seen` (and the
    /// refresh asks nothing theirs can't have answered).
    async fn refresh_since(&self, id: &InstallationId, seen_record: Seen, ask: Ask<'_>) -> Result<AccessToken> {
        let flight = self.flight(id);
        let seen = flight.generation.load(Ordering::SeqCst);
        let _turn = flight.lock.clone().lock_owned().await;
        if flight.generation.load(Ordering::SeqCst) != seen && !ask.needs_its_own() {
            // Someone refreshed while this caller waited: share their outcome.
            if let Some(e) = lock(&flight.last_error).clone() {
                return Err(e);
            }
            return self.read_tokens(id).await?.map(|t| t.access).ok_or_else(|| self.credentials_missing(id));
        }
        let outcome = self.refresh_locked(id, &flight, seen_record, ask).await;
        *lock(&flight.last_error) = outcome.as_ref().err().cloned();
        flight.generation.fetch_add(1, Ordering::SeqCst);
        outcome
    }

    async fn refresh_locked(&self, id: &InstallationId, flight: &Flight, seen: Seen, ask: Ask<'_>) -> Result<AccessToken> {
        // A locked keychain asks to be unlocked at the first read. Read before taking the lock
        // the other processes wait on, so nobody waits on a prompt this process shows.
        if let Err(e) = self.read_tokens(id).await {
            self.failed(id, flight, &e);
            return Err(e);
        }
        // Other processes (the window, command-line runs) refresh the same
        // installation; legacy refresh tokens rotate, so only one may.
        let _other_processes = self.file_lock(id).await?;
        if let Err(e) = self.state.settings.reload_if_changed() {
            tracing::warn!(error = %e, "could not re-read the settings another process saved");
        }
        let i = self.installation(id)?;
        if let Some(reason) = &i.needs_reauth {
            self.set_status(id, Status::NeedsReauth { reason: reason.clone() });
            return Err(Error::NeedsReauth { description: reason.clone() });
        }
        if Seen::of(&i) != seen && lock(&self.pending).get(id).is_none() && !ask.needs_its_own() {
            // Refreshed by another process while this one waited: use its tokens, send nothing.
            let tokens = self.read_tokens(id).await?.ok_or(Error::CredentialsMissing)?;
            tracing::info!(installation = id.as_str(), "another process refreshed this installation; using its tokens");
            self.set_status(id, Status::Connected);
            return Ok(tokens.access);
        }
        self.set_status(id, Status::Refreshing);
        let result = self.rotate(&i, ask).await;
        match &result {
            Ok(_) => {
                flight.failures.store(0, Ordering::SeqCst);
                self.set_status(id, Status::Connected);
            }
            Err(Error::CredentialsMissing) => return Err(self.credentials_missing(id)),
            // Microsoft wants the user (`interaction_required`): only a sign-in with the claims helps.
            Err(Error::NeedsReauth { .. }) if ask.claims().is_some() => {
                return Err(self.claims_challenge(id, ask.claims().unwrap_or_default().to_string()).await)
            }
            // The next secret was refused, not the installation's tokens, which are as they were.
            Err(Error::LegacySecretRejected { .. }) if matches!(ask, Ask::WithSecret(_)) => self.set_status(id, Status::Connected),
            Err(e @ (Error::NeedsReauth { .. } | Error::InvalidClient { .. })) => {
                // The reason only: the message and hint are added where it is shown.
                return Err(self.needs_reauth(id, e.reauth_reason()).await);
            }
            // The shared app's own secret refused: every installation of it must sign in again
            // once the admin saves a new one (`services::installations::expired`).
            Err(e @ Error::LegacySecretRejected { shared: true }) => {
                self.state.secret_refused(&i.connector);
                self.failed(id, flight, e)
            }
            Err(e) => self.failed(id, flight, e),
        }
        result
    }

    /// A failure that retrying may fix: the tokens are kept and the next try backs off.
    fn failed(&self, id: &InstallationId, flight: &Flight, e: &Error) {
        let n = flight.failures.fetch_add(1, Ordering::SeqCst);
        let retry_at = now_secs() + backoff(n);
        tracing::warn!(installation = id.as_str(), code = e.code(), retry_at, "refresh failed; tokens kept, will retry");
        // What to do goes with the reason when retrying alone won't fix it.
        let reason = match e {
            Error::LegacySecretRejected { .. } | Error::Entra { .. } => format!("{e}. {}", e.hint()),
            _ => e.to_string(),
        };
        self.set_status(id, Status::Error { reason, retry_at });
    }
}
