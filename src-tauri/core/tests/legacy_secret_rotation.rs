//! A legacy app's Client Secret, as Microsoft documents it (azure-devops-oauth, "Regenerate
//! client secret"; the "overlapping secrets" blog post): tokens issued with a secret die
//! when it expires or is regenerated, and an app may hold two secrets at once. So a new
//! secret added before the old one expires renews the installations at their next refresh
//! with no outage; after an expiry each installation must sign in again (and keeps its
//! organization, project and history when it does).

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallInput;
use connector_core::services::tokens::Status;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

const NEXT_SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.next";

async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::new(MemoryStore::default())));
    (fake, s, dir)
}

/// The admin pastes the app's new secret into the Library entry (the fake's app now has it).
async fn paste_secret(s: &Services, fake: &FakeMicrosoft) {
    share_demo_app(s, fake).await;
}

#[tokio::test]
async fn a_secret_added_before_the_old_one_expires_renews_installations_with_no_outage() {
    let (fake, s, _dir) = setup().await;
    share_demo_app(&s, &fake).await;
    let id = sign_in(&s, &shared_install()).await;
    // The owner adds a second secret; both work for now. The entry gets the new one.
    fake.with(|w| {
        let app = &mut w.legacy_apps[0];
        let old = std::mem::replace(&mut app.client_secret, NEXT_SECRET.into());
        app.overlapping_secret = Some(old);
    });
    paste_secret(&s, &fake).await;
    s.tokens.refresh(&id).await.expect("renewed with the new secret while the old one still works");
    // The old secret goes (expires or is deleted): the renewed installation keeps working.
    fake.with(|w| w.legacy_apps[0].overlapping_secret = None);
    s.tokens.refresh(&id).await.expect("no sign-in needed");
    assert!(matches!(s.tokens.status(&id), Status::Connected));
    assert_eq!(s.installations.get(&id).unwrap().needs_reauth, None);
}

#[tokio::test]
async fn after_an_expiry_the_new_secret_goes_in_the_entry_and_each_installation_signs_in_again() {
    let (fake, s, _dir) = setup().await;
    share_demo_app(&s, &fake).await;
    let before = s.installations.get(&sign_in(&s, &shared_install()).await).unwrap();
    fake.with(|w| w.legacy_apps[0].secret_expired = true);
    let err = s.tokens.refresh(&before.id).await.unwrap_err();
    assert_eq!(err.code(), "legacy_secret_rejected");
    assert!(err.hint().contains("Connector Library") && err.hint().contains("Re-authenticate"), "{}", err.hint());
    assert_eq!(s.installations.get(&before.id).unwrap().needs_reauth, None, "a sign-in alone can't fix it: the secret first");
    let Status::Error { reason, .. } = s.tokens.status(&before.id) else { panic!("{:?}", s.tokens.status(&before.id)) };
    assert!(reason.contains("Client Secret"), "{reason}");
    // The admin generates a new secret and pastes it in: the tokens issued with the old one are gone.
    fake.with(|w| {
        w.legacy_apps[0].client_secret = NEXT_SECRET.into();
        w.legacy_apps[0].secret_expired = false;
    });
    paste_secret(&s, &fake).await;
    let gone = s.tokens.refresh(&before.id).await.unwrap_err();
    assert_eq!(gone.code(), "needs_reauth", "{gone}");
    // Re-authenticate: the same installation, its organization, project and history kept.
    let again = InstallInput { reauth: Some(before.id.clone()), ..shared_install() };
    assert_eq!(sign_in(&s, &again).await, before.id);
    s.tokens.refresh(&before.id).await.unwrap();
    let after = s.installations.get(&before.id).unwrap();
    assert_eq!((after.organization, after.project, after.created_at), (before.organization, before.project, before.created_at));
}
