//! What signing in again can't fix, told apart from what it can (docs/microsoft.md):
//! Conditional Access, a token from the wrong tenant (TF400813 naming the user), an expired legacy
//! Client Secret (a Continuous Access Evaluation claims challenge: cae.rs).

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallInput;
use connector_core::services::tokens::Status;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, own_entra_install, shared_install, MemoryStore, Port, ScriptedWindows, User};

async fn setup() -> (FakeMicrosoft, Arc<Services>, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let services = Arc::new(Services::with_store_opener(
        dir.path(),
        Endpoints::under(fake.base_url()).unwrap(),
        opener(Arc::new(MemoryStore::default())),
    ));
    (fake, services, dir)
}

async fn sign_in(s: &Services, input: &InstallInput) -> connector_core::Result<connector_core::model::installation::Installation> {
    s.sign_in.run(input, &Port(ScriptedWindows::new(User::Consents("accept")))).await.map(|d| d.installation)
}

#[tokio::test]
async fn conditional_access_at_sign_in_is_named_and_not_called_a_decline() {
    let (fake, s, _dir) = setup().await;
    fake.with(|w| w.conditional_access = Some(53003));
    let err = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap_err();
    assert_eq!(err.code(), "conditional_access_blocked");
    assert!(err.to_string().contains("Conditional Access") && err.to_string().contains("AADSTS53003"), "{err}");
    assert!(err.hint().contains("won't help"), "{}", err.hint());
}

#[tokio::test]
async fn conditional_access_at_refresh_keeps_the_sign_in_and_retries() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap().id;
    fake.with(|w| w.conditional_access = Some(53000));
    let err = s.tokens.refresh(&id).await.unwrap_err();
    assert_eq!(err.code(), "conditional_access_blocked");
    assert!(matches!(s.tokens.status(&id), Status::Error { .. }), "{:?}", s.tokens.status(&id));
    assert_eq!(s.installations.get(&id).unwrap().needs_reauth, None, "not marked for a sign-in that wouldn't help");
    // Once the device (or the policy) changes, the same sign-in refreshes.
    fake.with(|w| w.conditional_access = None);
    s.tokens.refresh(&id).await.unwrap();
}

/// Broken: a Conditional Access code other than 53000 (a tenant security policy's 530032,
/// security defaults' 530035, a device that is not domain-joined…) taken for a dead
/// sign-in and marked Needs re-auth.
#[tokio::test]
async fn every_conditional_access_code_at_refresh_keeps_the_sign_in() {
    for code in [530032, 530035, 53001, 53002, 53003, 53004, 53011] {
        let (fake, s, _dir) = setup().await;
        let id = sign_in(&s, &own_entra_install(&fake, "")).await.unwrap().id;
        fake.with(|w| w.conditional_access = Some(code));
        let err = s.tokens.refresh(&id).await.unwrap_err();
        assert_eq!(err.code(), "conditional_access_blocked", "{code}: {err}");
        assert!(err.to_string().contains(&format!("AADSTS{code}")), "{err}");
        assert!(matches!(s.tokens.status(&id), Status::Error { .. }), "{code}: {:?}", s.tokens.status(&id));
        assert_eq!(s.installations.get(&id).unwrap().needs_reauth, None, "{code}: not marked for a sign-in that wouldn't help");
    }
}

/// Some tokens from another tenant Azure DevOps answers with VS30063: the app names the
/// organization's tenant.
#[tokio::test]
async fn a_token_from_another_tenant_answered_vs30063_names_the_orgs_tenant() {
    let (fake, s, _dir) = setup().await;
    let elsewhere = "0f0f0f0f-1111-4222-8333-444455556666";
    fake.with(|w| {
        w.organization_mut("contoso").unwrap().tenant_id = elsewhere.into();
        w.cross_tenant_vs30063 = true;
    });
    let err = sign_in(&s, &own_entra_install(&fake, "organizations")).await.unwrap_err();
    assert_eq!(err.code(), "wrong_tenant");
    assert!(err.to_string().contains("VS30063") && err.to_string().contains(elsewhere), "{err}");
    assert!(err.hint().contains(elsewhere), "{}", err.hint());
}

/// Others it answers with TF400813 naming the user (the fake's default); the token's `tid`
/// tells it apart from a missing scope or membership (more in wrong_tenant.rs).
#[tokio::test]
async fn a_token_from_another_tenant_names_the_orgs_tenant_and_the_tokens() {
    let (fake, s, _dir) = setup().await;
    let elsewhere = "0f0f0f0f-1111-4222-8333-444455556666";
    let home = fake.with(|w| {
        w.organization_mut("contoso").unwrap().tenant_id = elsewhere.into();
        w.users[0].tenant_id.clone()
    });
    // "organizations" issues the token in the user's home tenant, which the organization doesn't use.
    let err = sign_in(&s, &own_entra_install(&fake, "organizations")).await.unwrap_err();
    assert_eq!(err.code(), "wrong_tenant_token");
    assert!(err.to_string().contains(elsewhere) && err.to_string().contains(&home), "{err}");
    assert!(err.hint().contains(elsewhere), "{}", err.hint());
}

#[tokio::test]
async fn a_recorded_secret_expiry_warns_in_the_library_and_on_each_installation() {
    let (fake, s, _dir) = setup().await;
    support::share_demo_app_expiring(&s, &fake, "2999-01-01").await;
    let id = sign_in(&s, &shared_install()).await.unwrap().id;
    let library = s.library.list();
    assert_eq!(library[0].secret_warning, None, "far away: no warning");
    assert_eq!(s.installations.views()[0].secret_warning, None);
    support::share_demo_app_expiring(&s, &fake, "2000-01-02").await;
    let warning = s.library.list()[0].secret_warning.clone().expect("an expired secret warns");
    assert!(warning.contains("expired on 2000-01-02") && warning.contains("this entry"), "{warning}");
    let row = s.installations.views().into_iter().find(|v| v.installation.id == id).unwrap();
    assert!(row.secret_warning.unwrap().contains("Connector Library entry"));
    // A date that isn't one is a field error, and nothing is saved.
    let bad = connector_core::model::library_entry::EntryInput {
        connector: "azure-devops".into(),
        auth_type: "legacy".into(),
        values: BTreeMap::from([("client_secret_expires".into(), "31.01.2027".into())]),
        secret: None,
    };
    let err = s.library.save(bad).await.unwrap_err();
    assert!(err.fields().iter().any(|f| f.field == "client_secret_expires" && f.message.contains("2027-01-31")), "{:?}", err.fields());
}
