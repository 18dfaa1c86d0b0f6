//! Where the live Microsoft answers differently from a naive fake (docs/microsoft.md,
//! "Corrections"): each test runs against the fake's rule for it.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::MethodId;
use connector_core::model::ids::TenantId;
use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::services::methods::MethodRequest;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, RestFault, World};
use support::{opener, own_entra_install, MemoryStore, Port, ScriptedWindows, User};

async fn setup() -> (FakeMicrosoft, Arc<Services>, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store)));
    (fake, services, dir)
}

fn profile(id: &InstallationId) -> MethodRequest {
    MethodRequest { installation: id.clone(), method: MethodId::GetProfile, inputs: BTreeMap::new() }
}

async fn sign_in(s: &Services, input: &InstallInput) -> connector_core::Result<connector_core::services::signin::SignedIn> {
    s.sign_in.run(input, &Port(ScriptedWindows::new(User::Consents("accept")))).await
}

/// 1. A single-tenant app (the portal's default) with a blank Tenant ID signs in
/// and refreshes through the organization's tenant; `organizations` would be AADSTS50194.
#[tokio::test]
async fn a_single_tenant_app_with_a_blank_tenant_id_signs_in_and_refreshes() {
    let (fake, s, _dir) = setup().await;
    fake.with(|w| w.entra_apps[0].single_tenant = true);
    let done = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap();
    let org_tenant = fake.with(|w| w.organization("contoso").unwrap().tenant_id.clone());
    assert_eq!(done.installation.tenant.as_ref().map(TenantId::as_str), Some(org_tenant.as_str()), "the tenant signed in to is kept");
    s.tokens.refresh(&done.installation.id).await.expect("refresh uses the same tenant, not organizations");
    // What the fake does at the shared endpoint, so the test above means something:
    // Microsoft's page shows AADSTS50194 and the sign-in never gets an answer.
    let ended = support::run_as_user(&s, &own_entra_install(&fake, "organizations"), |authorize| async move {
        let page = reqwest::get(&authorize).await.unwrap();
        assert_eq!(page.status(), 400);
        assert!(page.text().await.unwrap().contains("AADSTS50194"));
        None
    })
    .await;
    assert_eq!(ended.unwrap_err().code(), "sign_in_cancelled", "no answer: the user cancels");
}

/// 1. Discovery that can't reach the organization falls back to `organizations`, and says so.
#[tokio::test]
async fn without_discovery_the_preflight_says_organizations_and_why() {
    let (fake, s, _dir) = setup().await;
    let base = fake.base_url().to_string();
    drop(fake);
    let dir = tempfile::tempdir().unwrap();
    let offline = Services::with_store_opener(dir.path(), Endpoints::under(&base).unwrap(), opener(Arc::new(MemoryStore::default())));
    let fake2 = FakeMicrosoft::start(World::demo()).await.unwrap();
    let pre = offline.sign_in.preflight(&own_entra_install(&fake2, "")).await.unwrap();
    let choice = pre.tenant.unwrap();
    assert_eq!(choice.tenant.as_str(), "organizations");
    assert!(choice.why.contains("could not be found"), "{}", choice.why);
    drop(s);
}

/// 2. Every interactive Entra sign-in asks Microsoft to let the user pick the account;
/// re-authentication preselects the installation's account.
#[tokio::test]
async fn every_entra_sign_in_sends_select_account_and_reauth_sends_the_login_hint() {
    let (fake, s, _dir) = setup().await;
    let done = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap();
    let reauth = InstallInput { reauth: Some(done.installation.id.clone()), ..own_entra_install(&fake, "") };
    sign_in(&s, &reauth).await.unwrap();
    let seen = fake.with(|w| w.authorize_requests.clone());
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|q| q.get("prompt").map(String::as_str) == Some("select_account")), "{seen:?}");
    assert_eq!(seen[0].get("login_hint"), None);
    assert_eq!(seen[1].get("login_hint"), Some(&done.installation.user.email));
}

/// 3. Under Suppress an expired token answers 401 TF400813 naming no user: that is a
/// rejected token (refresh once, retry once), not the organization's policy.
#[tokio::test]
async fn an_expired_token_answered_with_tf400813_and_no_user_is_refreshed_and_retried() {
    let (fake, s, _dir) = setup().await;
    let done = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap();
    let before = fake.token_requests();
    fake.with(|w| w.expire_all_access_tokens());
    let out = s.methods.run(&profile(&done.installation.id), None).await;
    assert!(out.is_ok(), "{:?}", out.err());
    assert_eq!(fake.token_requests(), before + 1, "exactly one refresh");
}

/// 6. `Retry-After` on a successful answer, and `X-RateLimit-Delay` with nothing remaining,
/// slow the client down; the wait shows in the progress.
#[tokio::test]
async fn retry_after_on_a_200_and_rate_limit_headers_slow_the_next_request() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap().installation.id;
    for fault in [RestFault::SlowDown { retry_after_secs: 1 }, RestFault::RateLimited { delay_ms: 600 }] {
        fake.with(|w| w.rest_faults.push_back(fault.clone()));
        let said = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let log = said.clone();
        let progress = move |m: &str| log.lock().unwrap().push(m.to_string());
        let started = std::time::Instant::now();
        s.methods.run(&profile(&id), Some(&progress)).await.unwrap();
        assert!(started.elapsed() >= Duration::from_millis(900), "{fault:?}: waited {:?}", started.elapsed());
        assert!(said.lock().unwrap().iter().any(|m| m.contains("slow down")), "{fault:?}: {:?}", said.lock().unwrap());
    }
}

/// 10. Tenant discovery sends `Accept: application/json` (as GCM does) and the Suppress header.
#[tokio::test]
async fn tenant_discovery_sends_accept_json_and_suppress() {
    let (fake, s, _dir) = setup().await;
    s.sign_in.preflight(&own_entra_install(&fake, "")).await.unwrap();
    let seen = fake.with(|w| w.discovery_requests.clone());
    assert_eq!(seen, vec![("application/json".to_string(), "Suppress".to_string())]);
}

/// An Entra app deleted from its tenant after the sign-in: Microsoft answers the refresh with
/// AADSTS700016 (`unauthorized_client`). That is neither Conditional Access, nor the app's
/// credential, nor a passing fault: the installation needs a sign-in with a working app, not
/// a retry every few minutes.
#[tokio::test]
async fn an_app_deleted_after_the_sign_in_makes_the_refresh_need_a_sign_in() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap().installation.id;
    fake.with(|w| w.entra_apps.clear());
    let err = s.tokens.refresh(&id).await.unwrap_err();
    assert_eq!(err.code(), "needs_reauth", "{err:?}");
    assert!(s.installations.get(&id).unwrap().needs_reauth.is_some(), "recorded, so every caller is told");
}
