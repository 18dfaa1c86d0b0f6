//! A shared legacy app's Client Secret that Microsoft refuses at a sign-in's code exchange is
//! as dead as one refused at refresh: it expired or was regenerated, and Microsoft ended every
//! token issued with it (docs/microsoft.md). So it is recorded the same way: the Installations
//! notice names every installation that must sign in again, the Library card says the secret
//! was refused, and the sign-in says the fix is a new secret in the entry, not another sign-in.

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{consent, opener, run_as_user, share_demo_app, shared_install, sign_in, MemoryStore};

async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::new(MemoryStore::default())));
    (fake, s, dir)
}

/// Every shared app whose secret is known dead: (refused, new secret saved, installations).
fn notices(s: &Services) -> Vec<(bool, bool, Vec<InstallationId>)> {
    let notices = s.installations.secret_expired().into_iter();
    notices.map(|n| (n.refused, n.new_secret_saved, n.installations.into_iter().map(|i| i.installation.id).collect())).collect()
}

#[tokio::test]
async fn a_shared_secret_refused_at_sign_in_is_recorded_as_a_refusal_at_refresh_is() {
    let (fake, s, _dir) = setup().await;
    share_demo_app(&s, &fake).await;
    let first = sign_in(&s, &shared_install()).await;
    fake.with(|w| w.legacy_apps[0].secret_expired = true);

    // Another project is installed: the user accepts, and the code exchange is refused.
    let second = InstallInput { project: "Fabrikam Fiber".into(), ..shared_install() };
    let err = run_as_user(&s, &second, |authorize| async move { Some(consent(&authorize, "accept").await) }).await.unwrap_err();
    assert_eq!(err.code(), "legacy_secret_rejected", "{err}");
    assert!(err.hint().contains("Connector Library entry"), "the entry's fix: {}", err.hint());
    assert_eq!(notices(&s), vec![(true, false, vec![first])], "the one installation must sign in again, once a secret is saved");
    let card = s.library.list().into_iter().find(|c| c.manifest.id == "azure-devops").and_then(|c| c.secret_warning);
    assert!(card.as_deref().is_some_and(|c| c.starts_with("Microsoft refused this entry's Client Secret on ")), "the card: {card:?}");
}

/// The App Secret saved in the entry in place of the Client Secret (the commonest set-up
/// mistake: the Library warns, and saves) is refused too, but it never was a Client Secret:
/// the sign-in keeps `invalid_client` with its App Secret hint, and no refusal is recorded.
#[tokio::test]
async fn an_app_secret_in_the_shared_entry_is_not_read_as_an_expired_client_secret() {
    let (fake, s, _dir) = setup().await;
    fake.with(|w| w.legacy_apps[0].client_secret = w.legacy_apps[0].app_secret.clone());
    share_demo_app(&s, &fake).await;
    fake.with(|w| w.legacy_apps[0].client_secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.the-real-one".into());
    let input = shared_install();
    let err = run_as_user(&s, &input, |authorize| async move { Some(consent(&authorize, "accept").await) }).await.unwrap_err();
    assert_eq!(err.code(), "invalid_client", "{err}");
    assert!(err.hint().contains("App Secret"), "the App Secret hint: {}", err.hint());
    assert_eq!(notices(&s), vec![], "nothing recorded as refused");
    let card = s.library.list().into_iter().find(|c| c.manifest.id == "azure-devops").and_then(|c| c.secret_warning);
    assert!(!card.as_deref().is_some_and(|c| c.starts_with("Microsoft refused")), "the card: {card:?}");
}
