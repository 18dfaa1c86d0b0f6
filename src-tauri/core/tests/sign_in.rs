//! Install and Sign In (legacy) through the services, against the fake Microsoft.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::{InstallInput, OwnApp};
use connector_core::services::signin::{SignedIn, READY_SENTENCE};
use connector_core::{Result, Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{consent, opener, run_as_user, stopped_before_the_window, MemoryStore, Port, ScriptedWindows, User};

struct Setup {
    fake: FakeMicrosoft,
    services: Services,
    store: Arc<MemoryStore>,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    Setup { fake, services, store, _dir: dir }
}

fn demo_app(fake: &FakeMicrosoft) -> (String, String, String) {
    fake.with(|w| {
        let a = &w.legacy_apps[0];
        (a.app_id.clone(), a.client_secret.clone(), a.app_secret.clone())
    })
}

async fn share_demo_app(s: &Setup) {
    support::share_demo_app(&s.services, &s.fake).await;
}

fn install(org: &str, project: &str) -> InstallInput {
    InstallInput {
        connector: "azure-devops".into(),
        organization: org.into(),
        project: project.into(),
        own_app: None,
        scopes_confirmed: false,
        reauth: None,
    }
}

/// A sign-in the user accepts.
async fn accepted(s: &Services, input: &InstallInput) -> Result<SignedIn> {
    s.sign_in.run(input, &Port(ScriptedWindows::new(User::Consents("accept")))).await
}

/// A sign-in whose window nobody answers: it times out, or is cancelled.
async fn unanswered(s: &Services, input: &InstallInput) -> Result<SignedIn> {
    s.sign_in.run(input, &Port(ScriptedWindows::new(User::Waits))).await
}

fn own(s: &Setup, scopes: &str, secret: &str) -> InstallInput {
    let (app_id, _, _) = demo_app(&s.fake);
    InstallInput {
        own_app: Some(OwnApp {
            auth_type: "legacy".into(),
            values: BTreeMap::from([
                ("client_id".into(), app_id),
                ("scopes".into(), scopes.into()),
                ("service_domain".into(), "app-h.cyclr.com".into()),
            ]),
            secret: Some(Secret::new(secret)),
        }),
        scopes_confirmed: true,
        ..install("contoso", "Fabrikam Fiber")
    }
}

#[tokio::test]
async fn shared_app_happy_path_stores_tokens_only_in_the_keychain() {
    let s = setup().await;
    share_demo_app(&s).await;
    assert_eq!(s.services.sign_in.timeout_secs(), 600);
    let done = run_as_user(&s.services, &install("Contoso", "fabrikam fiber"), |authorize| async move {
        assert!(authorize.contains("response_type=Assertion"));
        let redirect = url::Url::parse(&authorize).unwrap().query_pairs().find(|(k, _)| k == "redirect_uri").unwrap().1.into_owned();
        assert_eq!(redirect, "https://app-h.cyclr.com/connector/callback", "the callback the window intercepts");
        let callback = consent(&authorize, "accept").await;
        assert!(callback.starts_with("https://app-h.cyclr.com/connector/callback?code="));
        Some(callback)
    })
    .await
    .unwrap();
    assert_eq!(done.message, READY_SENTENCE);
    let i = &done.installation;
    assert_eq!((i.organization.as_str(), i.project.as_str()), ("contoso", "Fabrikam Fiber"), "names as Azure DevOps spells them");
    assert_eq!(i.user.display_name, "Dana Developer");
    assert_eq!(i.scopes.to_string(), "vso.project vso.work_full");
    let token_account = format!("installation/{}/tokens", i.id);
    assert!(s.store.accounts().contains(&token_account));
    let stored = s.store.0.lock().unwrap()[&token_account].clone();
    let settings = std::fs::read_to_string(s.services.state.data_dir().join("settings.json")).unwrap();
    let access = serde_json::from_str::<serde_json::Value>(&stored).unwrap()["a"].as_str().unwrap().to_string();
    assert!(!settings.contains(&access), "an access token reached the settings file");
    assert_eq!(s.services.installations.all().len(), 1);
}

#[tokio::test]
async fn forged_and_replayed_state_are_rejected_and_store_nothing() {
    let s = setup().await;
    share_demo_app(&s).await;
    let website = install("contoso", "Website");
    let mut genuine = String::new();
    let kept = &mut genuine;
    let err = run_as_user(&s.services, &website, |authorize| async move {
        *kept = consent(&authorize, "accept").await;
        let mut forged = url::Url::parse(kept).unwrap();
        let pairs: Vec<(String, String)> =
            forged.query_pairs().into_owned().map(|(k, v)| if k == "state" { (k, "forged".into()) } else { (k, v) }).collect();
        forged.query_pairs_mut().clear().extend_pairs(pairs);
        Some(forged.to_string())
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), "state_mismatch");
    // The attempt ended with the forged answer: the genuine one is now a replay.
    let replay = run_as_user(&s.services, &website, |_| async { Some(genuine.clone()) }).await.unwrap_err();
    assert_eq!(replay.code(), "state_mismatch");
    assert!(s.services.installations.all().is_empty());
    assert_eq!(s.store.accounts(), ["library/azure-devops/client-secret"]);

    let mut used = String::new();
    let kept = &mut used;
    run_as_user(&s.services, &website, |authorize| async move {
        *kept = consent(&authorize, "accept").await;
        Some(kept.clone())
    })
    .await
    .unwrap();
    assert_eq!(
        run_as_user(&s.services, &website, |_| async { Some(used.clone()) }).await.unwrap_err().code(),
        "state_mismatch",
        "a used state can't be replayed"
    );
}

#[tokio::test]
async fn one_sign_in_at_a_time_and_cancel_or_the_timeout_ends_it() {
    let s = setup().await;
    share_demo_app(&s).await;
    let windows = ScriptedWindows::new(User::Waits);
    let (sign_in, w) = (s.services.sign_in.clone(), windows.clone());
    let first = tokio::spawn(async move { sign_in.run(&install("contoso", "Website"), &Port(w)).await });
    windows.opened.notified().await;
    assert_eq!(stopped_before_the_window(&s.services, &install("contoso", "Website")).await.code(), "sign_in_in_progress");
    s.services.sign_in.cancel();
    assert_eq!(first.await.unwrap().unwrap_err().code(), "sign_in_cancelled");
    // Paused time: the 10 minutes pass as soon as nothing else is left to do.
    tokio::time::pause();
    let e = unanswered(&s.services, &install("contoso", "Website")).await.unwrap_err();
    assert_eq!(e.code(), "sign_in_timeout");
    assert!(e.to_string().contains("10 minutes"), "{}", e);
}

#[tokio::test]
async fn the_sign_in_timeout_is_a_setting_within_bounds() {
    let s = setup().await;
    share_demo_app(&s).await;
    assert_eq!(s.services.sign_in.timeout_secs(), 600, "10 minutes by default");
    assert_eq!(s.services.sign_in.set_timeout(0).unwrap_err().fields()[0].field, "sign_in_timeout");
    assert!(s.services.sign_in.set_timeout(61).is_err());
    s.services.sign_in.set_timeout(2).unwrap();
    assert_eq!(s.services.sign_in.timeout_secs(), 120);
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    let e = unanswered(&s.services, &install("contoso", "Website")).await.unwrap_err();
    assert!(e.to_string().contains("2 minutes"), "{e}");
    let waited = started.elapsed().as_secs();
    assert_eq!(waited, 120, "the window waited the 2 minutes set");
}

#[tokio::test]
async fn deny_stores_nothing() {
    let s = setup().await;
    share_demo_app(&s).await;
    let denied = s.services.sign_in.run(&install("contoso", "Website"), &Port(ScriptedWindows::new(User::Consents("deny")))).await;
    assert_eq!(denied.unwrap_err().code(), "access_denied");
    assert!(s.services.installations.all().is_empty());
}

#[tokio::test]
async fn the_app_secret_gets_the_client_secret_hint() {
    let s = setup().await;
    let (_, _, app_secret) = demo_app(&s.fake);
    let err = accepted(&s.services, &own(&s, "vso.work_full vso.project", &app_secret)).await.unwrap_err();
    assert_eq!(err.code(), "invalid_client");
    assert!(err.hint().contains("not the \"App Secret\""), "{}", err.hint());
    assert!(s.store.accounts().is_empty());
}

#[tokio::test]
async fn invalid_scope_is_explained_and_caught_before_sign_in_once_the_registration_is_known() {
    let s = setup().await;
    let (_, secret, _) = demo_app(&s.fake);
    // Unknown registration: Microsoft says InvalidScope, the app says what to check.
    let err = accepted(&s.services, &own(&s, "vso.work_full vso.code", &secret)).await.unwrap_err();
    assert_eq!(err.code(), "invalid_scope");
    assert!(err.to_string().contains("Code (read)") && err.hint().contains("Authorized scopes"), "{err:?}");
    assert!(s.store.accounts().is_empty() && s.services.installations.all().is_empty());

    // A successful sign-in teaches the app the registration's scopes…
    accepted(&s.services, &own(&s, "vso.work_full vso.project", &secret)).await.unwrap();
    // …so the next mismatch is caught before Sign In, with the diff.
    let err = stopped_before_the_window(&s.services, &own(&s, "vso.work_full vso.code", &secret)).await;
    assert_eq!(err.code(), "invalid_scope");
    assert!(
        err.to_string().contains("asks for Code (read)") && err.to_string().contains("has Project and team (read)"),
        "{}",
        err.to_string()
    );
}

#[tokio::test]
async fn reauth_of_an_own_app_install_reuses_its_app_and_keeps_the_installation() {
    let s = setup().await;
    let (_, secret, _) = demo_app(&s.fake);
    let first = accepted(&s.services, &own(&s, "vso.work_full vso.project", &secret)).await.unwrap().installation;
    // Re-authenticate with nothing but the installation id: the stored app and keychain secret are used.
    let again = InstallInput { reauth: Some(first.id.clone()), ..install(&first.organization, &first.project) };
    let second = accepted(&s.services, &again).await.unwrap().installation;
    assert_eq!(second.id, first.id);
    assert_eq!(second.created_at, first.created_at);
    assert_eq!(s.services.installations.all().len(), 1);
}

#[tokio::test]
async fn own_app_needs_confirmed_scopes() {
    let s = setup().await;
    let (_, secret, _) = demo_app(&s.fake);
    let mut input = own(&s, "vso.work_full vso.project", &secret);
    input.scopes_confirmed = false;
    let err = stopped_before_the_window(&s.services, &input).await;
    assert_eq!(err.fields()[0].field, "scopes_confirmed");
}

#[tokio::test]
async fn ready_check_failures_each_have_their_own_code_and_store_nothing() {
    let s = setup().await;
    share_demo_app(&s).await;
    for (org, project, code) in [
        ("contoso", "No Such Project", "project_not_found"),
        ("contoso-legacy", "Archive", "oauth_disabled_by_org"),
        ("fabrikam", "Anything", "org_not_found"),
    ] {
        let err = accepted(&s.services, &install(org, project)).await.unwrap_err();
        assert_eq!(err.code(), code, "{org}/{project}: {err:?}");
        if code == "oauth_disabled_by_org" {
            assert!(err.hint().contains("Third-party application access via OAuth") && err.hint().contains("_settings/organizationPolicy"));
        }
        if code == "org_not_found" {
            assert!(err.hint().contains("contoso"), "lists the orgs the account has: {}", err.hint());
        }
        if code == "project_not_found" {
            // The Project field is marked, and the organization's projects are offered to choose from.
            assert_eq!(err.field_at_fault().map(|f| f.field).as_deref(), Some("project"));
            let (typed, choices) = err.did_you_mean().expect("the projects there are");
            assert_eq!((typed, choices), ("No Such Project", &["Fabrikam Fiber".to_string(), "Website".to_string()][..]));
            assert!(err.hint().contains("Fabrikam Fiber, Website"), "{}", err.hint());
        }
    }
    assert!(s.services.installations.all().is_empty());
    assert_eq!(s.store.accounts(), ["library/azure-devops/client-secret"]);
}

#[tokio::test]
async fn invalid_install_fields_are_reported_per_field() {
    let s = setup().await;
    share_demo_app(&s).await;
    let err = stopped_before_the_window(&s.services, &install("my_org", "a/b")).await;
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["organization", "project"]);
}

#[tokio::test]
async fn network_failure_says_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    // Nothing listens on port 9 of loopback.
    let services = Services::with_store_opener(dir.path(), Endpoints::under("http://127.0.0.1:9").unwrap(), opener(store.clone()));
    let s = setup().await;
    let (_, secret, _) = demo_app(&s.fake);
    let input = own(&s, "vso.work_full vso.project", &secret);
    // The code comes from the real fake (the user's page, with this attempt's state); the token
    // call goes to the dead endpoint.
    let real = format!("{}/", s.fake.base_url().trim_end_matches('/'));
    let err = run_as_user(&services, &input, |authorize| async move {
        Some(consent(&authorize.replace("http://127.0.0.1:9/", &real), "accept").await)
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), "network_error");
    assert!(err.hint().contains("Nothing was changed"));
    assert!(store.accounts().is_empty());
}

/// A legacy app's refusal other than InvalidScope is kept as Microsoft sent it: neither
/// explained as a scope mismatch nor read as an Entra (AADSTS) error.
#[tokio::test]
async fn a_legacy_refusal_other_than_invalid_scope_is_kept_as_microsoft_sent_it() {
    let s = setup().await;
    share_demo_app(&s).await;
    let err = run_as_user(&s.services, &install("contoso", "Website"), |authorize| async move {
        let page = url::Url::parse(&authorize).unwrap();
        let get = |k: &str| page.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap();
        let mut back = url::Url::parse(&get("redirect_uri")).unwrap();
        back.query_pairs_mut()
            .append_pair("error", "invalid_request")
            .append_pair("error_description", "The request is missing a required parameter.")
            .append_pair("state", &get("state"));
        Some(back.to_string())
    })
    .await
    .unwrap_err();
    assert_eq!(err.code(), "sign_in_refused", "{err:?}");
    assert!(err.to_string().contains("invalid_request"), "{err}");
}

/// A second install of a project someone already signed in to is allowed, with a warning that
/// names who; that installation's own Re-authenticate gets no such warning.
#[tokio::test]
async fn installing_a_project_again_is_warned_about_but_its_reauthentication_is_not() {
    let s = setup().await;
    share_demo_app(&s).await;
    let id = accepted(&s.services, &install("contoso", "Website")).await.unwrap().installation.id;
    let again = s.services.sign_in.preflight(&install("Contoso", "website")).await.unwrap();
    let warning = again.warning.unwrap_or_default();
    assert!(warning.starts_with("Contoso / website is already installed (signed in as "), "Azure DevOps names ignore case: {warning}");
    let reauth = InstallInput { reauth: Some(id), ..install("contoso", "Website") };
    // Nor does another project of the organization, or the same project name elsewhere.
    for other in [reauth, install("contoso", "Fabrikam Fiber"), install("fabrikam", "Website")] {
        let warning = s.services.sign_in.preflight(&other).await.unwrap().warning.unwrap_or_default();
        assert!(!warning.contains("already installed"), "{} / {}: {warning}", other.organization, other.project);
    }
}
