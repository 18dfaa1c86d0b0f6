//! Microsoft Entra ID against the fake: the system-browser flow through the
//! loopback listener, PKCE, AADSTS mapping, and refresh rotation.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::microsoft::oauth::entra::{self, EntraApp};
use connector_core::model::ids::{ClientId, TenantId};
use connector_core::model::installation::{InstallInput, OwnApp};
use connector_core::model::scopes::{explain_entra_invalid_scope, parse_scopes};
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World, ADO_RESOURCE};
use support::{consent, opener, MemoryStore};

struct Setup {
    fake: FakeMicrosoft,
    services: Arc<Services>,
    store: Arc<MemoryStore>,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone())));
    Setup { fake, services, store, _dir: dir }
}

fn entra_install(fake: &FakeMicrosoft, org: &str, project: &str, secret: Option<&str>) -> InstallInput {
    let (client_id, tenant) = fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    InstallInput {
        connector: "azure-devops".into(),
        organization: org.into(),
        project: project.into(),
        own_app: Some(OwnApp {
            auth_type: "entra".into(),
            values: BTreeMap::from([
                ("client_id".into(), client_id),
                ("tenant_id".into(), tenant),
                ("scopes".into(), "vso.work_full vso.project".into()),
            ]),
            secret: secret.map(Secret::new),
        }),
        scopes_confirmed: false,
        reauth: None,
    }
}

/// The whole browser flow: the "browser" follows the authorize URL, accepts,
/// and is redirected to the loopback, which hands the answer to the sign-in.
async fn browser_sign_in(s: &Setup, input: &InstallInput) -> Result<connector_core::services::signin::SignedIn, connector_core::Error> {
    let windows = support::ScriptedWindows::new(support::User::Consents("accept"));
    let done = s.services.sign_in.run(input, &support::Port(windows.clone())).await;
    let opened = windows.browser_urls.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "the system browser opened once, and no window: {opened:?}");
    assert!(opened[0].contains("redirect_uri=http%3A%2F%2Flocalhost%3A"), "{}", opened[0]);
    if done.is_ok() {
        // The "browser" reads the loopback's page on its own task; give it a moment.
        for _ in 0..50 {
            if windows.loopback_page.lock().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let page = windows.loopback_page.lock().unwrap().clone().unwrap_or_default();
        assert!(page.contains("You can close this tab"), "{page}");
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_with_pkce_through_the_loopback_installs_even_where_oauth_apps_are_blocked() {
    let s = setup().await;
    // contoso-legacy blocks third-party OAuth apps; Entra apps are not affected.
    let done = browser_sign_in(&s, &entra_install(&s.fake, "contoso-legacy", "Archive", None)).await.unwrap();
    assert_eq!(done.installation.auth_type.as_str(), "entra");
    assert_eq!(done.installation.organization, "contoso-legacy");
    assert!(s.store.accounts().iter().any(|a| a.ends_with("/tokens")));
    assert!(!s.store.accounts().iter().any(|a| a.ends_with("/client-secret")), "a public client has no secret to store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_rotates_for_entra_installations() {
    let s = setup().await;
    let id = browser_sign_in(&s, &entra_install(&s.fake, "contoso", "Website", None)).await.unwrap().installation.id;
    let tokens = |store: &MemoryStore| {
        serde_json::from_str::<serde_json::Value>(&store.0.lock().unwrap()[&format!("installation/{id}/tokens")]).unwrap()["r"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let old = tokens(&s.store);
    s.services.tokens.refresh(&id).await.unwrap();
    let new = tokens(&s.store);
    assert_ne!(old, new);
    assert!(!s.fake.with(|w| w.is_refresh_token_live(&old)));
    assert!(s.fake.with(|w| w.is_refresh_token_live(&new)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_client_given_a_secret_is_told_to_drop_it() {
    let s = setup().await;
    let err = browser_sign_in(&s, &entra_install(&s.fake, "contoso", "Website", Some("not-needed"))).await.unwrap_err();
    assert_eq!(err.code(), "public_client_secret");
    assert!(err.to_string().contains("AADSTS700025"));
    assert!(s.store.accounts().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confidential_client_without_its_secret_is_told_to_add_it() {
    let s = setup().await;
    s.fake.with(|w| w.entra_apps[0].client_secret = Some("s3cret".into()));
    let err = browser_sign_in(&s, &entra_install(&s.fake, "contoso", "Website", None)).await.unwrap_err();
    assert_eq!(err.code(), "secret_required");
    assert!(err.hint().contains("client secret"), "{}", err.hint());
    // With the secret it works, and the secret is kept for refreshes.
    let done = browser_sign_in(&s, &entra_install(&s.fake, "contoso", "Website", Some("s3cret"))).await.unwrap();
    assert!(s.store.accounts().contains(&format!("installation/{}/client-secret", done.installation.id)));
}

#[tokio::test]
async fn a_wrong_verifier_is_rejected_by_microsoft_and_reported_with_its_code() {
    let s = setup().await;
    let (client_id, tenant) = s.fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    let scopes = parse_scopes("vso.work_full").unwrap();
    let login = format!("{}/login", s.fake.base_url());
    let (client_id, tenant) = (ClientId::parse(&client_id).unwrap(), TenantId::parse(&tenant).unwrap());
    let app = EntraApp { login: &login, tenant: &tenant, client_id: &client_id, secret: None, scopes: &scopes };
    let redirect = "http://127.0.0.1:5555/";
    let (url, _, _) = entra::authorize_url(&app, redirect, None, None).unwrap();
    let answer = consent(url.as_str(), "accept").await;
    let code = url::Url::parse(&answer).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let (_, _, other_verifier) = entra::authorize_url(&app, redirect, None, None).unwrap();
    let err = entra::exchange_code(&reqwest::Client::new(), &app, redirect, &code, other_verifier).await.unwrap_err();
    let ui = err;
    assert_eq!(ui.code(), "needs_reauth", "invalid_grant: {ui:?}");
    assert!(ui.to_string().contains("AADSTS501481"), "Microsoft's code is shown: {}", ui);
}

#[tokio::test]
async fn a_bare_vso_scope_gets_70011_which_is_explained() {
    let s = setup().await;
    let (client_id, _) = s.fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    // What a client that forgets the resource prefix would send.
    let url = format!(
        "{}/login/organizations/oauth2/v2.0/authorize?client_id={client_id}&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2F&scope=vso.work_full&state=s&code_challenge=abc&code_challenge_method=S256",
        s.fake.base_url()
    );
    let answer = consent(&url, "accept").await;
    let q: BTreeMap<String, String> = url::Url::parse(&answer).unwrap().query_pairs().into_owned().collect();
    assert_eq!(q["error"], "invalid_scope");
    let e = connector_core::microsoft::oauth::entra_error::aadsts(&q["error"], &q["error_description"]);
    assert_eq!(e.code(), "invalid_scope");
    let x = explain_entra_invalid_scope(&parse_scopes("vso.work_full").unwrap(), &q["error_description"]);
    assert!(x.message.contains("resource prefix") && x.hint.contains(ADO_RESOURCE), "{x:?}");
}

#[tokio::test]
async fn tenant_discovery_finds_the_orgs_tenant_and_warns_on_a_mismatch() {
    let s = setup().await;
    let pre = s.services.sign_in.preflight(&entra_install(&s.fake, "contoso", "Website", None)).await.unwrap();
    let org_tenant = s.fake.with(|w| w.organizations[0].tenant_id.clone());
    assert_eq!(pre.org_tenant.as_ref().map(TenantId::as_str), Some(org_tenant.as_str()));
    assert!(pre.warning.is_none(), "{:?}", pre.warning);
    let mut other = entra_install(&s.fake, "contoso", "Website", None);
    other.own_app.as_mut().unwrap().values.insert("tenant_id".into(), "11111111-2222-4333-8444-555555555555".into());
    let pre = s.services.sign_in.preflight(&other).await.unwrap();
    assert!(pre.warning.unwrap().contains(&format!("belongs to tenant {org_tenant}")));
}

#[tokio::test]
async fn a_blank_tenant_id_signs_in_through_the_orgs_discovered_tenant() {
    let s = setup().await;
    let mut blank = entra_install(&s.fake, "contoso", "Website", None);
    blank.own_app.as_mut().unwrap().values.insert("tenant_id".into(), String::new());
    let pre = s.services.sign_in.preflight(&blank).await.unwrap();
    let org_tenant = s.fake.with(|w| w.organization("contoso").unwrap().tenant_id.clone());
    assert_eq!(
        pre.org_tenant.as_ref().map(TenantId::as_str),
        Some(org_tenant.as_str()),
        "discovered although the Tenant ID was left blank"
    );
    let choice = pre.tenant.expect("an Entra pre-flight says which tenant");
    assert_eq!(choice.tenant.as_str(), org_tenant);
    assert!(choice.why.contains("contoso") && choice.why.contains("Tenant ID is blank"), "{}", choice.why);
    // Signing in goes to the organization's tenant, as Git Credential Manager does, not "organizations".
    s.fake.take_requests();
    let fake = &s.fake;
    let ended = support::run_as_user(&s.services, &blank, |authorize| async move {
        assert!(authorize.contains(&format!("/login/{org_tenant}/oauth2/v2.0/authorize")), "{authorize}");
        // The tenant found at Next, moments ago, is not asked for again.
        assert_eq!(fake.take_requests(), [], "Sign In sent nothing before Microsoft's page");
        None
    })
    .await;
    assert_eq!(ended.unwrap_err().code(), "sign_in_cancelled");
}

/// A Tenant ID given with the app is where Sign In goes: the organization's tenant is not
/// looked up first (only Next's check compares the two).
#[tokio::test]
async fn a_given_tenant_id_signs_in_there_without_a_lookup() {
    let s = setup().await;
    let input = entra_install(&s.fake, "contoso", "Website", None);
    let tenant = input.own_app.as_ref().unwrap().values["tenant_id"].clone();
    let fake = &s.fake;
    let ended = support::run_as_user(&s.services, &input, |authorize| async move {
        assert!(authorize.contains(&format!("/login/{tenant}/oauth2/v2.0/authorize")), "{authorize}");
        None
    })
    .await;
    assert_eq!(ended.unwrap_err().code(), "sign_in_cancelled");
    assert_eq!(fake.with(|w| w.discovery_requests.len()), 0, "no tenant lookup");
}

/// Entra signs in through the system browser unless the user chose the app's own window;
/// the choice is kept across launches. (Legacy always uses the window: its callback is an
/// HTTPS address only the window can catch.)
#[tokio::test]
async fn the_embedded_window_setting_decides_the_entra_flow_and_is_kept() {
    use connector_core::services::signin::Flow;
    let s = setup().await;
    let input = entra_install(&s.fake, "contoso", "Website", None);
    assert_eq!(s.services.sign_in.preflight(&input).await.unwrap().flow, Flow::Browser, "the browser by default");
    s.services.sign_in.set_entra_embedded(true).unwrap();
    assert_eq!(s.services.sign_in.preflight(&input).await.unwrap().flow, Flow::Embedded);
    let again = Services::with_store_opener(s._dir.path(), Endpoints::under(s.fake.base_url()).unwrap(), opener(s.store.clone()));
    assert_eq!(again.sign_in.preflight(&input).await.unwrap().flow, Flow::Embedded, "kept for the next launch");
    s.services.sign_in.set_entra_embedded(false).unwrap();
    assert_eq!(s.services.sign_in.preflight(&input).await.unwrap().flow, Flow::Browser, "and turned off again");
}
