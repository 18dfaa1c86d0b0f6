//! A partner's Entra app in the Connector Library, shared by customers whose organizations
//! live in other tenants: a multitenant app signs in both; a single-tenant one is stopped
//! by the check, naming both tenants and the fix; a tenant that lets only admins consent
//! gets its admin-consent link, and once the admin accepts, the sign-in goes through.

mod support;

use std::collections::BTreeMap;

use connector_core::Error;
use support::partner::{fabrikam, setup, share_entra_app, sign_in};
use support::{shared_install, stopped_before_the_window};

#[tokio::test]
async fn a_multitenant_partner_app_signs_in_customers_in_two_tenants() {
    let (fake, s, _dir, customer_tenant) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
    let home = sign_in(&fake, &s, &shared_install()).await.expect("contoso, in the app's own tenant");
    fake.with(|w| w.default_user = Some(w.users[1].id.clone()));
    let customer = sign_in(&fake, &s, &fabrikam()).await.expect("fabrikam, in the customer's tenant");
    let tenants: Vec<Option<String>> =
        [home, customer].iter().map(|id| s.installations.get(id).unwrap().tenant.map(|t| t.to_string())).collect();
    let partner_tenant = fake.with(|w| w.entra_apps[0].tenant_id.clone());
    assert_eq!(tenants, [Some(partner_tenant), Some(customer_tenant)], "each signed in to its organization's tenant");
}

#[tokio::test]
async fn a_single_tenant_app_is_stopped_before_sign_in_with_both_tenants_and_the_fix() {
    let (fake, s, _dir, customer_tenant) = setup().await;
    let home = fake.with(|w| {
        w.entra_apps[0].single_tenant = true;
        w.entra_apps[0].tenant_id.clone()
    });
    share_entra_app(&s, &fake, &[("single_tenant_home", &home)]).await;
    let err = s.sign_in.preflight(&fabrikam()).await.unwrap_err();
    assert_eq!(err.code(), "single_tenant_app_elsewhere");
    assert!(err.to_string().contains(&home) && err.to_string().contains(&customer_tenant), "{err}");
    assert!(err.hint().contains("Accounts in any organizational directory"), "{}", err.hint());
    let before = fake.with(|w| w.authorize_requests.len());
    assert_eq!(stopped_before_the_window(&s, &fabrikam()).await.code(), "single_tenant_app_elsewhere", "Sign In stops too");
    assert_eq!(fake.with(|w| w.authorize_requests.len()), before, "Microsoft was never asked");
    // The app's own tenant is fine, and the fake agrees: it refuses the app elsewhere (700016).
    s.sign_in.preflight(&shared_install()).await.expect("contoso is in the app's tenant");
    share_entra_app(&s, &fake, &[]).await;
    let Err(Error::Internal { detail: page }) = sign_in(&fake, &s, &fabrikam()).await else { panic!("Microsoft's error page expected") };
    assert!(page.contains("AADSTS700016"), "without the check, Microsoft refuses it: {page}");
}

#[tokio::test]
async fn a_tenant_that_lets_only_admins_consent_gets_the_admin_consent_link_then_connects() {
    let (fake, s, _dir, customer_tenant) = setup().await;
    share_entra_app(&s, &fake, &[]).await;
    fake.with(|w| w.admin_consent_only.insert(customer_tenant.clone()));
    let err = sign_in(&fake, &s, &fabrikam()).await.unwrap_err();
    assert_eq!(err.code(), "admin_consent_required");
    let Error::AdminConsentRequired { tenant, url, aadsts } = &err else { panic!("{err:?}") };
    assert_eq!((tenant.as_str(), *aadsts), (customer_tenant.as_str(), 90094));
    let link = url::Url::parse(url).unwrap();
    assert!(link.path().ends_with(&format!("/{customer_tenant}/v2.0/adminconsent")), "{link}");
    let q: BTreeMap<String, String> = link.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], fake.with(|w| w.entra_apps[0].client_id.clone()));
    assert!(q["scope"].contains("499b84ac-1321-427f-aa17-267ca6975798/vso.work_full"), "{}", q["scope"]);
    assert_eq!(s.sign_in.admin_consent_link(url).unwrap().as_str(), url.as_str(), "the window may open it");
    assert!(s.sign_in.admin_consent_link("https://evil.example/x/v2.0/adminconsent").is_err(), "but nothing else");

    // The customer's admin opens the link and accepts for the organization.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert!(http.get(url.as_str()).send().await.unwrap().status().is_success(), "the admin's page");
    let mut form = q.clone();
    form.insert("decision".into(), "accept".into());
    let answer = http.post(&url[..url.find('?').unwrap()]).form(&form).send().await.unwrap();
    assert!(answer.status().is_redirection());
    // Check again: the same install now connects.
    sign_in(&fake, &s, &fabrikam()).await.expect("connected after the admin's consent");
}
