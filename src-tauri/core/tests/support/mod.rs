//! Shared by the core's integration tests: an in-memory secret store (pure
//! logic tests only; the E2E tests use the real keychain) and a stand-in for
//! the user's browser on the fake Microsoft's consent page.
#![allow(dead_code)] // each test file uses a different subset

pub mod partner;
mod scripted;

pub use scripted::{Port, ScriptedWindows, User};

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use std::collections::BTreeMap;

use connector_core::model::installation::{InstallInput, InstallationId, OwnApp};
use connector_core::model::library_entry::EntryInput;
use connector_core::services::signin::SignedIn;
use connector_core::store::keychain::SecretStore;
use connector_core::store::keychain::StoreOpener;
use connector_core::{Result, Secret, Services};
use fake_microsoft::FakeMicrosoft;

#[derive(Default)]
pub struct MemoryStore(pub Mutex<HashMap<String, String>>);

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        Ok(self.0.lock().unwrap().get(account).cloned().map(Secret::new))
    }
    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        self.0.lock().unwrap().insert(account.into(), value.expose().into());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.0.lock().unwrap().remove(account);
        Ok(())
    }
}

impl MemoryStore {
    /// The stored text of one account, if any.
    pub fn get_raw(&self, account: &str) -> Option<String> {
        self.0.lock().unwrap().get(account).cloned()
    }

    pub fn accounts(&self) -> Vec<String> {
        let mut v: Vec<String> = self.0.lock().unwrap().keys().cloned().collect();
        v.sort();
        v
    }
}

#[derive(Default)]
/// A keychain whose deletes can be refused, as a locked or flaky one does.
pub struct NoDeletes {
    pub inner: MemoryStore,
    pub refuse: AtomicBool,
}

impl SecretStore for NoDeletes {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        self.inner.get(account)
    }
    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        self.inner.set(account, value)
    }
    fn delete(&self, account: &str) -> Result<()> {
        if self.refuse.load(Ordering::SeqCst) {
            return Err(connector_core::Error::KeychainUnavailable {
                problem: connector_core::error::KeychainProblem::Locked,
                detail: "injected".into(),
            });
        }
        self.inner.delete(account)
    }
}

/// A keychain whose writes can be refused, as a locked one does after a rotation.
pub struct RefusesWrites {
    pub inner: Arc<MemoryStore>,
    pub refuse: AtomicBool,
}

impl SecretStore for RefusesWrites {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        self.inner.get(account)
    }
    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        if self.refuse.load(Ordering::SeqCst) {
            return Err(connector_core::Error::KeychainUnavailable {
                problem: connector_core::error::KeychainProblem::Locked,
                detail: "injected".into(),
            });
        }
        self.inner.set(account, value)
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.inner.delete(account)
    }
}

/// The window's services over a fresh data folder and keychain, signed in to contoso / Website
/// through the shared app. Another process's services open over the same `dir` and `keychain`.
pub struct Window {
    pub fake: FakeMicrosoft,
    pub dir: tempfile::TempDir,
    pub keychain: Arc<MemoryStore>,
    pub services: Services,
    pub id: InstallationId,
}

pub async fn signed_in_window() -> Window {
    let fake = FakeMicrosoft::start(fake_microsoft::World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keychain = Arc::new(MemoryStore::default());
    let endpoints = connector_core::microsoft::endpoints::Endpoints::under(fake.base_url()).unwrap();
    let services = Services::with_store_opener(dir.path(), endpoints, opener(keychain.clone()));
    share_demo_app(&services, &fake).await;
    let id = sign_in(&services, &shared_install()).await;
    Window { fake, dir, keychain, services, id }
}

pub fn opener(store: Arc<MemoryStore>) -> StoreOpener {
    Arc::new(move || Ok(store.clone() as Arc<dyn SecretStore>))
}

/// Plays the user on the fake's consent page: opens the authorize URL, then
/// presses Accept or Deny. Returns where Microsoft redirected the browser.
pub async fn consent(authorize_url: &str, decision: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(authorize_url).send().await.unwrap();
    if page.status().is_redirection() {
        return page.headers()["location"].to_str().unwrap().to_string();
    }
    assert_eq!(page.status(), 200, "consent page expected");
    let url = url::Url::parse(authorize_url).unwrap();
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    form.push(("user".into(), "6b1d3f1c-2c4a-4d53-9f2e-8a1b7c6d5e4f".into()));
    form.push(("decision".into(), decision.into()));
    let action =
        format!("{}://{}{}", url.scheme(), url.host_str().unwrap(), url.port().map(|p| format!(":{p}")).unwrap_or_default()) + url.path();
    let r = http.post(action).form(&form).send().await.unwrap();
    r.headers()["location"].to_str().unwrap().to_string()
}

/// Saves the fake's demo legacy app as the shared library entry.
pub async fn share_demo_app(services: &Services, fake: &FakeMicrosoft) {
    share_demo_app_with_scopes(services, fake, "vso.work_full vso.project").await
}

/// The same with other Authorized scopes (the fake's registration must have them).
pub async fn share_demo_app_with_scopes(services: &Services, fake: &FakeMicrosoft, scopes: &str) {
    share_demo_app_with(services, fake, scopes, None).await
}

/// The demo app shared, with the Client Secret's expiry date recorded (`YYYY-MM-DD`).
pub async fn share_demo_app_expiring(services: &Services, fake: &FakeMicrosoft, expires: &str) {
    share_demo_app_with(services, fake, "vso.work_full vso.project", Some(expires)).await
}

async fn share_demo_app_with(services: &Services, fake: &FakeMicrosoft, scopes: &str, expires: Option<&str>) {
    let (app_id, secret) = fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone()));
    let expires = expires.map(|e| ("client_secret_expires".to_string(), e.to_string()));
    services
        .library
        .save(EntryInput {
            connector: "azure-devops".into(),
            auth_type: "legacy".into(),
            values: BTreeMap::from([
                ("client_id".into(), app_id),
                ("scopes".into(), scopes.into()),
                ("service_domain".into(), "app-h.cyclr.com".into()),
            ])
            .into_iter()
            .chain(expires)
            .collect(),
            secret: Some(Secret::new(secret)),
        })
        .await
        .unwrap();
}

/// An install of `contoso / Website` through the shared app.
pub fn shared_install() -> InstallInput {
    InstallInput {
        connector: "azure-devops".into(),
        organization: "contoso".into(),
        project: "Website".into(),
        own_app: None,
        scopes_confirmed: false,
        reauth: None,
    }
}

/// contoso / Website, signed in with the user's own app: the fake's legacy one, or its Entra one.
pub fn own_install(fake: &FakeMicrosoft, auth_type: &str, reauth: Option<InstallationId>) -> InstallInput {
    let (legacy_id, legacy_secret, entra_id) =
        fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone(), w.entra_apps[0].client_id.clone()));
    let (values, secret) = match auth_type {
        "legacy" => (
            BTreeMap::from([
                ("client_id".to_string(), legacy_id),
                ("scopes".to_string(), "vso.work_full vso.project".to_string()),
                ("service_domain".to_string(), "app-h.cyclr.com".to_string()),
            ]),
            Some(Secret::new(legacy_secret)),
        ),
        _ => (BTreeMap::from([("client_id".to_string(), entra_id), ("scopes".to_string(), "vso.work_full vso.project".to_string())]), None),
    };
    InstallInput {
        connector: "azure-devops".into(),
        organization: "contoso".into(),
        project: "Website".into(),
        own_app: Some(OwnApp { auth_type: auth_type.into(), values, secret }),
        scopes_confirmed: true,
        reauth,
    }
}

/// An install of `contoso / Website` with the fake's (multitenant) Entra app as the user's own,
/// signing in at `tenant` (blank: the organization's tenant, found by the app).
pub fn own_entra_install(fake: &FakeMicrosoft, tenant: &str) -> InstallInput {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    InstallInput {
        own_app: Some(OwnApp {
            auth_type: "entra".into(),
            values: BTreeMap::from([
                ("client_id".into(), client_id),
                ("tenant_id".into(), tenant.into()),
                ("scopes".into(), "vso.work_full vso.project".into()),
            ]),
            secret: None,
        }),
        ..shared_install()
    }
}

/// A whole sign-in, accepted on the consent page; returns the installation id.
pub async fn sign_in(services: &Services, input: &InstallInput) -> InstallationId {
    services.sign_in.run(input, &Port(ScriptedWindows::new(User::Consents("accept")))).await.unwrap().installation.id
}

/// A sign-in stopped before its window opens: the error. (Had it opened, the user closes it,
/// and the error is `sign_in_cancelled`.)
pub async fn stopped_before_the_window(services: &Services, input: &InstallInput) -> connector_core::Error {
    services.sign_in.run(input, &Port(ScriptedWindows::new(User::ClosesTheWindow))).await.expect_err("stopped")
}

/// A whole sign-in with the test playing the user: `act` gets Microsoft's page (the authorize
/// URL) once the window or browser opens, and returns the redirect it then reaches (a forged or
/// replayed one, a refusal, another account's answer), or none: the user closes the window, or
/// (browser) presses Cancel in the main window. The sign-in runs alongside, as in the app.
pub async fn run_as_user<F, Fut>(services: &Services, input: &InstallInput, act: F) -> Result<SignedIn>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Option<String>>,
{
    let windows = ScriptedWindows::new(User::Plays);
    let port = Port(windows.clone());
    let run = services.sign_in.run(input, &port);
    tokio::pin!(run);
    let user = async {
        windows.opened.notified().await;
        let (page, browser) = windows.page.lock().unwrap().clone().expect("a page opened");
        let answer = act(page).await;
        windows.reach(services, answer, browser).await;
    };
    tokio::select! {
        done = &mut run => return done,
        () = user => {}
    }
    run.await
}
