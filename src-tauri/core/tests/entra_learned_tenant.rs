//! A Library Entra entry whose "Single-tenant app's tenant" was left blank learns its app's
//! audience from Microsoft's answers (`model::audience`): AADSTS50194 or 700016 say the app
//! is single-tenant, the next token request that works says where it is registered, and two
//! tenants that worked say multitenant. The install check then stops an organization in
//! another tenant before sign-in, as it does for the admin's own value, which always wins.
//!
//! Microsoft shows 50194 and 700016 on its own sign-in page, which the app never reads; the
//! app hears them at the token endpoint, when an installation refreshes. So most stories
//! start with installations made while the app was multitenant, before its owner made it
//! single-tenant ("Accounts in this organizational directory only"). When Microsoft sends
//! them to the redirect URI instead, the sign-in's answer teaches the same.

mod support;

use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::Services;
use fake_microsoft::FakeMicrosoft;
use support::partner::{fabrikam, setup, share_entra_app, sign_in};
use support::{run_as_user, shared_install, stopped_before_the_window};

/// The card's line about what was learned.
fn card_line(s: &Services) -> Option<String> {
    s.library.list().into_iter().find(|c| c.manifest.id == "azure-devops").and_then(|c| c.learned_audience)
}

/// Signs in `contoso / Website` (the partner's own tenant, where the app is registered) and
/// `fabrikam / Portal` (the customer's) with the multitenant app. Returns both installations.
async fn both_signed_in(fake: &FakeMicrosoft, s: &Services) -> (InstallationId, InstallationId) {
    fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
    let home = sign_in(fake, s, &shared_install()).await.expect("contoso");
    fake.with(|w| w.default_user = Some(w.users[1].id.clone()));
    let customer = sign_in(fake, s, &fabrikam()).await.expect("fabrikam");
    fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
    (home, customer)
}

fn app_home(fake: &FakeMicrosoft) -> String {
    fake.with(|w| w.entra_apps[0].tenant_id.clone())
}

/// The owner makes the app single-tenant (or multitenant again) in the Entra portal.
fn set_single_tenant(fake: &FakeMicrosoft, single: bool) {
    fake.with(|w| w.entra_apps[0].single_tenant = single);
}

/// As a build from before tenant discovery recorded an installation: with no tenant, so it
/// refreshes through `organizations`.
fn made_before_tenant_discovery(s: &Services, id: &InstallationId) {
    let forget_tenant = |st: &mut connector_core::store::settings::Settings| {
        st.installation_mut(id).expect("installed").tenant = None;
        Ok(())
    };
    s.state.settings.update(forget_tenant).unwrap();
}

/// The install check stops `input` before anything is sent to Microsoft's sign-in page.
async fn stopped_before_sign_in(fake: &FakeMicrosoft, s: &Services, input: &InstallInput) -> connector_core::Error {
    let err = s.sign_in.preflight(input).await.expect_err("the check stops it");
    assert_eq!(err.code(), "single_tenant_app_elsewhere");
    assert!(err.hint().contains("Accounts in any organizational directory"), "the one fix: {}", err.hint());
    let before = fake.with(|w| w.authorize_requests.len());
    assert_eq!(stopped_before_the_window(s, input).await.code(), "single_tenant_app_elsewhere", "Sign In stops too");
    assert_eq!(fake.with(|w| w.authorize_requests.len()), before, "Microsoft was never asked");
    err
}

#[tokio::test]
async fn a_700016_then_a_refresh_at_home_teaches_the_home_and_the_other_tenant_is_stopped_before_sign_in() {
    let (fake, s, _dir, customer_tenant) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    let (home_install, customer_install) = both_signed_in(&fake, &s).await;
    set_single_tenant(&fake, true);
    // The customer's installation refreshes in its tenant: Microsoft answers AADSTS700016.
    s.tokens.refresh(&customer_install).await.expect_err("not found in the customer's directory");
    s.sign_in.preflight(&fabrikam()).await.expect("where it is registered is not known yet");
    // The partner's own installation refreshes in the app's tenant: that is where it lives.
    s.tokens.refresh(&home_install).await.expect("the app's own tenant");
    let home = app_home(&fake);
    assert_eq!(
        card_line(&s).as_deref(),
        Some(format!("Single-tenant, registered in tenant {home} (learned from a sign-in and AADSTS700016)").as_str())
    );

    let err = stopped_before_sign_in(&fake, &s, &fabrikam()).await;
    let message = err.to_string();
    assert!(message.contains(&home) && message.contains(&customer_tenant), "both tenants: {message}");
    assert!(message.contains("so far") && message.contains("AADSTS700016"), "says it was learned: {message}");
    s.sign_in.preflight(&shared_install()).await.expect("the app's own tenant is fine");
}

#[tokio::test]
async fn a_50194_then_a_sign_in_teaches_the_home() {
    let (fake, s, _dir, customer_tenant) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
    let id = sign_in(&fake, &s, &shared_install()).await.expect("contoso");
    made_before_tenant_discovery(&s, &id);
    set_single_tenant(&fake, true);
    s.tokens.refresh(&id).await.expect_err("a single-tenant app at `organizations`");
    assert!(card_line(&s).unwrap().starts_with("Single-tenant (Microsoft answered AADSTS50194)"), "{:?}", card_line(&s));
    s.sign_in.preflight(&fabrikam()).await.expect("its tenant is not known yet");

    // Re-authenticate: the organization's tenant, where the app is registered, signs it in.
    let again = InstallInput { reauth: Some(id), ..shared_install() };
    sign_in(&fake, &s, &again).await.expect("signed in at the app's tenant");
    let home = app_home(&fake);
    assert!(card_line(&s).unwrap().starts_with(&format!("Single-tenant, registered in tenant {home}")), "{:?}", card_line(&s));
    let message = stopped_before_sign_in(&fake, &s, &fabrikam()).await.to_string();
    assert!(message.contains(&home) && message.contains(&customer_tenant) && message.contains("AADSTS50194"), "{message}");
}

#[tokio::test]
async fn two_tenants_that_signed_in_make_it_multitenant_and_nothing_is_stopped() {
    let (fake, s, _dir, _) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    let (home_install, customer_install) = both_signed_in(&fake, &s).await;
    assert_eq!(card_line(&s).as_deref(), Some("Multitenant (signed in users of 2 tenants)"));
    // Single-tenant for a while (learned from a tenant-less refresh, then its home)…
    made_before_tenant_discovery(&s, &home_install);
    set_single_tenant(&fake, true);
    s.tokens.refresh(&home_install).await.expect_err("50194");
    let again = InstallInput { reauth: Some(home_install), ..shared_install() };
    sign_in(&fake, &s, &again).await.expect("home");
    s.sign_in.preflight(&fabrikam()).await.expect_err("stopped while single-tenant");
    // …then multitenant again: the customer's refresh working in its tenant says so.
    set_single_tenant(&fake, false);
    s.tokens.refresh(&customer_install).await.expect("the customer's tenant");
    assert_eq!(card_line(&s).as_deref(), Some("Multitenant (signed in users of 2 tenants)"));
    s.sign_in.preflight(&fabrikam()).await.expect("nothing stopped");
    s.sign_in.preflight(&shared_install()).await.expect("nothing stopped");
}

#[tokio::test]
async fn the_admins_own_value_wins_over_what_was_learned() {
    let (fake, s, _dir, customer_tenant) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    let (home_install, customer_install) = both_signed_in(&fake, &s).await;
    // The admin says the app is single-tenant in the customer's tenant; saving forgets the lessons.
    share_entra_app(&s, &fake, &[("single_tenant_home", &customer_tenant)]).await;
    assert_eq!(card_line(&s), None, "a save forgets what sign-ins taught");
    for id in [&home_install, &customer_install] {
        s.tokens.refresh(id).await.expect("both tenants still work");
    }
    assert_eq!(card_line(&s).as_deref(), Some("Multitenant (signed in users of 2 tenants)"), "learned anew");
    s.sign_in.preflight(&fabrikam()).await.expect("the admin's tenant is fine");
    let message = stopped_before_sign_in(&fake, &s, &shared_install()).await.to_string();
    assert!(message.contains("its own tenant") && !message.contains("so far"), "the admin's value, not a lesson: {message}");
}

/// Microsoft's refusal sent to the app's redirect URI (Learn, v2-oauth2-auth-code-flow, "Error
/// response": `error`, `error_description`, `state`) instead of shown on its own page.
fn refused_on_the_redirect(authorize_url: &str, error: &str, description: &str) -> String {
    let url = url::Url::parse(authorize_url).unwrap();
    let get = |k: &str| url.query_pairs().find(|(key, _)| key == k).map(|(_, v)| v.into_owned()).unwrap();
    let mut callback = url::Url::parse(&get("redirect_uri")).unwrap();
    callback
        .query_pairs_mut()
        .append_pair("error", error)
        .append_pair("error_description", description)
        .append_pair("state", &get("state"));
    callback.to_string()
}

/// The customer's sign-in comes back refused with `aadsts`; then a sign-in at the app's home
/// works. The card and the check then say what a refresh's answers would have taught.
async fn refused_at_sign_in_then_home(error: &str, aadsts: u32, code: &str) {
    let (fake, s, _dir, customer_tenant) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    set_single_tenant(&fake, true);
    let description = format!("AADSTS{aadsts}: refused.\r\nTrace ID: 1");
    let customer = fabrikam();
    let refused = run_as_user(&s, &customer, |authorize| async move { Some(refused_on_the_redirect(&authorize, error, &description)) });
    assert_eq!(refused.await.expect_err("nothing learned yet, so it reaches Microsoft").code(), code);
    let line = card_line(&s).expect("learned from the redirect");
    assert!(line.starts_with(&format!("Single-tenant (Microsoft answered AADSTS{aadsts})")), "{line}");

    fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
    sign_in(&fake, &s, &shared_install()).await.expect("the app's own tenant");
    let home = app_home(&fake);
    assert!(card_line(&s).unwrap().starts_with(&format!("Single-tenant, registered in tenant {home}")), "{:?}", card_line(&s));
    let message = stopped_before_sign_in(&fake, &s, &fabrikam()).await.to_string();
    assert!(message.contains(&home) && message.contains(&customer_tenant) && message.contains(&format!("AADSTS{aadsts}")), "{message}");
}

#[tokio::test]
async fn a_700016_on_the_sign_in_redirect_teaches_as_at_the_token_endpoint() {
    refused_at_sign_in_then_home("unauthorized_client", 700016, "app_not_found").await;
}

#[tokio::test]
async fn a_50194_on_the_sign_in_redirect_teaches_as_at_the_token_endpoint() {
    refused_at_sign_in_then_home("invalid_request", 50194, "single_tenant_app").await;
}
