//! Install and Sign In, for legacy Azure DevOps OAuth and Entra ID: pre-flight,
//! the one attempt in flight with its single-use `state` (and PKCE verifier),
//! the token exchange, the ready-for-use check, and storing the result — all or nothing.

mod discovered;
mod finish;
mod preflight;
mod resolve;
mod run;
mod test;

use std::sync::{Arc, Mutex};

use rand::distributions::{Alphanumeric, DistString};
use tokio::sync::Notify;

use serde::Serialize;

pub use preflight::{Flow, Preflight, TenantChoice};
pub use resolve::Resolved;
pub use run::{NavigationWatch, SignInWindows};

use crate::error::{Error, Result};
use crate::microsoft::azure_devops::{DevOps, OrgTenant};
use crate::microsoft::oauth::entra::{self, EntraApp};
use crate::microsoft::oauth::legacy;
use crate::microsoft::oauth::loopback::Loopback;
use crate::model::audience::LearnedAudience;
use crate::model::installation::{AppSource, InstallInput, Installation};
use crate::model::library_entry::LibraryEntry;
use crate::secret::Secret;
use crate::services::context::Context;
use crate::services::installations::Installations;
use crate::sync::lock;
use ts_rs::TS;

/// What a sign-in is for: an installation, or an admin's test of the Entra app prepared
/// beside a legacy Library entry (`test.rs`), which stores nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Install,
    TestPrepared,
}

/// The sign-in in flight. Taken (and so ended) by the first answer for its purpose.
struct Attempt {
    id: String,
    purpose: Purpose,
    state: String,
    resolved: Resolved,
    /// Legacy: always. Entra: only for a confidential client.
    secret: Option<Secret>,
    /// The redirect actually sent (Entra: with the loopback's port).
    redirect: String,
    verifier: Option<oauth2::PkceCodeVerifier>,
    /// Entra: the loopback the redirect names. The browser flow takes it to wait
    /// for the answer; in the embedded window it stays bound (unused) for the
    /// whole attempt, so nothing else can take the port meanwhile.
    loopback: Option<Loopback>,
}

/// A started sign-in: what `run` needs to open the window or the browser.
#[derive(Debug)]
struct SignInStart {
    attempt: String,
    authorize_url: String,
    /// The navigation to intercept (embedded) — the exact redirect sent.
    callback_url: String,
    timeout_secs: u64,
    flow: Flow,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SignedIn {
    pub installation: Installation,
    pub message: &'static str,
}

/// Why a sign-in ended without an answer.
#[derive(Debug, Clone, Copy)]
enum Abort {
    WindowClosed,
    TimedOut,
}

pub const READY_SENTENCE: &str = "The Connector is now authenticated and ready for use.";

pub struct SignIn {
    state: Arc<Context>,
    installations: Arc<Installations>,
    /// The one sign-in in flight, if any.
    attempt: Mutex<Option<Attempt>>,
    /// The main window's Cancel, heard by `run`.
    cancel: Notify,
    /// Organizations' tenants found in the last few minutes (Next, then Sign In).
    discovered: discovered::Discovered,
}

impl SignIn {
    pub fn new(state: Arc<Context>, installations: Arc<Installations>) -> Self {
        Self { state, installations, attempt: Mutex::new(None), cancel: Notify::new(), discovered: Default::default() }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Attempt>> {
        lock(&self.attempt)
    }

    /// Validates an install and resolves its app, refusing scopes known to be refused.
    fn prepare(&self, input: &InstallInput) -> Result<Resolved> {
        self.prepare_with(input, self.state.library_entry(&input.connector))
    }

    /// The same with `shared` as the Library's app (the prepared Entra entry for a test).
    fn prepare_with(&self, input: &InstallInput, shared: Option<LibraryEntry>) -> Result<Resolved> {
        let settings = self.state.settings.get();
        let r = resolve::resolve(input, &settings, shared.as_ref())?;
        resolve::check_known_registration(&r, &settings)?;
        Ok(r)
    }

    /// Checks an install before Sign In: fields, scopes against the registration
    /// when it is known, and (Entra) the organization's tenant.
    pub async fn preflight(&self, input: &InstallInput) -> Result<Preflight> {
        let r = self.prepare(input)?;
        let found = self.discover(&r).await?;
        preflight::single_tenant_reaches(&r, &found, self.learned(&r).as_ref())?;
        Ok(preflight::preflight(&r, found, self.state.settings.get().entra_embedded_window))
    }

    /// What sign-ins taught about the audience of the Library's app (learned only for it).
    fn learned(&self, r: &Resolved) -> Option<LearnedAudience> {
        (r.source == AppSource::Shared).then(|| self.state.learned_audience(&r.app.client_id)).flatten()
    }

    /// Entra with a blank Tenant ID: the organization's tenant (found at Next is used
    /// again at Sign In). An unknown organization stops here; any other failure falls
    /// back to `organizations`.
    async fn discover(&self, r: &Resolved) -> Result<Result<Option<OrgTenant>, String>> {
        if r.app.is_legacy() {
            return Ok(Ok(None));
        }
        if let Some(found) = self.discovered.get(&r.organization) {
            return Ok(Ok(found));
        }
        let devops = DevOps::new(self.state.http(), self.state.endpoints());
        match devops.discover_tenant(&r.organization).await {
            Ok(found) => {
                self.discovered.put(&r.organization, &found);
                Ok(Ok(found))
            }
            Err(e @ Error::OrgNotFound { .. }) => Err(e),
            Err(e) => Ok(Err(e.to_string())),
        }
    }

    /// Starts a sign-in for `purpose`: one at a time, with a fresh random `state`. Resolves
    /// the install once; an Entra app without a Tenant ID signs in to the organization's.
    /// A step of `run` (and of `test_prepared`), never called from outside: the one way in
    /// is `run`, which owns the attempt to its end.
    async fn begin_for(&self, input: &InstallInput, purpose: Purpose) -> Result<SignInStart> {
        self.state.settings.writable()?;
        let mut r = match purpose {
            Purpose::Install => self.prepare(input)?,
            Purpose::TestPrepared => self.prepare_with(input, Some(self.prepared_entra(&input.connector)?))?,
        };
        if !r.app.is_legacy() && r.app.tenant.is_none() {
            let found = self.discover(&r).await?;
            preflight::single_tenant_reaches(&r, &found, self.learned(&r).as_ref())?;
            let choice = preflight::choose_tenant(&r, &found);
            tracing::info!(tenant = %choice.tenant, why = %choice.why, "Entra sign-in tenant");
            r.app.tenant = Some(choice.tenant);
        }
        if preflight::needs_scope_confirmation(&r) && !input.scopes_confirmed && input.reauth.is_none() {
            return Err(Error::field("scopes_confirmed", "Confirm that these are exactly the Authorized scopes of your app registration."));
        }
        let secret = self.state.app_secret(&r.secret).await?;
        if secret.is_none() && r.app.is_legacy() {
            return Err(Error::SecretMissing);
        }
        if self.slot().is_some() {
            return Err(Error::SignInBusy);
        }
        let settings = self.state.settings.get();
        let flow = Flow::for_app(r.app.kind, settings.entra_embedded_window);
        let endpoints = self.state.endpoints();
        let (url, state, verifier, redirect, loopback) = if r.app.is_legacy() {
            let (url, state) = legacy::authorize_url(&endpoints.vssps, &r.app.client_id, &r.app.scopes, &r.app.redirect_uri)?;
            (url, state, None, r.app.redirect_uri.clone(), None)
        } else {
            // The loopback reserves the port even for the embedded window, which intercepts it.
            let lb = Loopback::bind().await?;
            // Re-authenticating: Microsoft preselects the account the installation had.
            // After a Continuous Access Evaluation challenge, the sign-in asks for its claims.
            let previous = input.reauth.as_ref().and_then(|id| self.installations.get(id).ok());
            let hint = previous.as_ref().map(|i| i.user.email.as_str());
            let challenge = previous.as_ref().and_then(|i| i.claims.as_deref());
            let app = EntraApp::new(&r.app, &endpoints.login, secret.as_ref());
            let (url, state, verifier) = entra::authorize_url(&app, &lb.redirect_uri, hint, challenge)?;
            let redirect = lb.redirect_uri.clone();
            (url, state, Some(verifier), redirect, Some(lb))
        };
        let mut slot = self.slot();
        if slot.is_some() {
            return Err(Error::SignInBusy);
        }
        // The attempt's own id, made as an installation's is (no installation's, though).
        let id = Alphanumeric.sample_string(&mut rand::thread_rng(), 12).to_ascii_lowercase();
        tracing::info!(attempt = %id, org = %r.organization, project = %r.project, auth = %r.app.kind, "sign-in started");
        *slot = Some(Attempt {
            id: id.clone(),
            purpose,
            state: state.secret().clone(),
            resolved: r,
            secret,
            redirect: redirect.clone(),
            verifier,
            loopback,
        });
        Ok(SignInStart {
            attempt: id,
            authorize_url: url.to_string(),
            callback_url: redirect,
            timeout_secs: settings.sign_in_timeout_secs,
            flow,
        })
    }

    /// Browser flow: the attempt's loopback and the `state` it must see.
    fn take_loopback(&self, attempt: &str) -> Option<(Loopback, String)> {
        let mut slot = self.slot();
        let a = slot.as_mut().filter(|a| a.id == attempt)?;
        Some((a.loopback.take()?, a.state.clone()))
    }

    /// Ends the attempt without an answer. Returns the error to show.
    fn abort(&self, attempt: &str, why: Abort) -> Error {
        let mut slot = self.slot();
        if slot.as_ref().is_some_and(|a| a.id == attempt) {
            *slot = None;
        }
        let e = match why {
            Abort::WindowClosed => Error::SignInCancelled,
            Abort::TimedOut => Error::SignInTimedOut { minutes: self.state.settings.get().sign_in_timeout_secs.div_ceil(60) },
        };
        tracing::info!(attempt, code = e.code(), "sign-in ended without an answer");
        e
    }

    /// A link the window asks to open as an admin-consent page: only the `adminconsent`
    /// page of this app's Microsoft sign-in endpoint, so the window can't open anything else.
    pub fn admin_consent_link(&self, link: &str) -> Result<url::Url> {
        let refused = || Error::invalid("link", "only a Microsoft admin-consent link can be opened here");
        let url = url::Url::parse(link).map_err(|_| refused())?;
        let login = self.state.endpoints().login.trim_end_matches('/').to_string();
        let ours = url.as_str().starts_with(&format!("{login}/")) && url.path().ends_with("/v2.0/adminconsent");
        if !ours || url.fragment().is_some() {
            return Err(refused());
        }
        Ok(url)
    }

    /// Whether Entra sign-ins use an embedded window instead of the browser.
    pub fn set_entra_embedded(&self, embedded: bool) -> Result<()> {
        self.state.settings.update(|s| {
            s.entra_embedded_window = embedded;
            Ok(())
        })
    }

    pub fn timeout_secs(&self) -> u64 {
        self.state.settings.get().sign_in_timeout_secs
    }

    /// How long a sign-in may wait for Microsoft's answer: 1 minute to 1 hour.
    pub fn set_timeout(&self, minutes: u64) -> Result<()> {
        if !(1..=60).contains(&minutes) {
            return Err(Error::field("sign_in_timeout", "Choose between 1 and 60 minutes."));
        }
        self.state.settings.update(|s| {
            s.sign_in_timeout_secs = minutes * 60;
            Ok(())
        })
    }
}
