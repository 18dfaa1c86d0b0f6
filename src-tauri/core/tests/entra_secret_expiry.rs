//! An Entra confidential client's expired secret (AADSTS7000222) is the app's problem, fixed
//! in its Library entry: never read as "sign in again", and the installations' refresh
//! tokens keep working once the entry has the new secret (Entra refresh tokens belong to
//! the app, not to one of its secrets).

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::library_entry::EntryInput;
use connector_core::services::tokens::Status;
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, shared_install, sign_in, MemoryStore};

async fn share_entra_app(s: &Services, fake: &FakeMicrosoft, secret: &str) {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".to_string(), client_id), ("scopes".to_string(), "vso.work_full vso.project".to_string())]);
    let input = EntryInput { connector: "azure-devops".into(), auth_type: "entra".into(), values, secret: Some(Secret::new(secret)) };
    s.library.save(input).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_entra_secret_is_fixed_in_the_library_entry_not_by_signing_in() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    fake.with(|w| w.entra_apps[0].client_secret = Some("first-secret".into()));
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::new(MemoryStore::default())));
    share_entra_app(&s, &fake, "first-secret").await;
    let id = sign_in(&s, &shared_install()).await;

    fake.with(|w| w.entra_apps[0].client_secret_expired = true);
    let err = s.tokens.refresh(&id).await.unwrap_err();
    assert_eq!(err.code(), "client_secret_expired", "{err}");
    assert!(err.hint().contains("Connector Library entry") && err.hint().contains("Signing in again fails"), "{}", err.hint());
    assert_eq!(s.installations.get(&id).unwrap().needs_reauth, None, "not marked for a sign-in that can't help");
    assert!(matches!(s.tokens.status(&id), Status::Error { .. }), "{:?}", s.tokens.status(&id));

    // The owner adds a new secret; the admin enters it in the entry: the same refresh token works.
    fake.with(|w| {
        w.entra_apps[0].client_secret = Some("second-secret".into());
        w.entra_apps[0].client_secret_expired = false;
    });
    share_entra_app(&s, &fake, "second-secret").await;
    s.tokens.refresh(&id).await.expect("refreshed with the new secret, no sign-in");
    assert!(matches!(s.tokens.status(&id), Status::Connected), "{:?}", s.tokens.status(&id));
}
