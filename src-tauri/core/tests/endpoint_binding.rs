//! An installation's tokens and Client Secret go only to the Microsoft endpoint it
//! was made against: started with another override (or none), the app neither
//! refreshes it, nor calls with it, nor hands its token out, nor marks it.

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, shared_install, MemoryStore};

#[tokio::test]
async fn another_endpoint_gets_no_token_no_secret_and_the_installation_is_left_alone() {
    let first = FakeMicrosoft::start(World::demo()).await.unwrap();
    let other = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let made = Services::with_store_opener(dir.path(), Endpoints::under(first.base_url()).unwrap(), opener(store.clone()));
    support::share_demo_app(&made, &first).await;
    let id = support::sign_in(&made, &shared_install()).await;
    assert_eq!(made.installations.get(&id).unwrap().endpoint.as_deref(), Some(first.base_url().trim_end_matches('/')));
    drop(made);

    for endpoints in [Endpoints::under(other.base_url()).unwrap(), Endpoints::microsoft()] {
        let now = Services::with_store_opener(dir.path(), endpoints, opener(store.clone()));
        // Everything due at once: the refresher must skip it, not send its refresh token.
        now.state
            .settings
            .update(|s| {
                s.installations.iter_mut().for_each(|i| i.access_expires_at = 0);
                Ok(())
            })
            .unwrap();
        assert_eq!(now.tokens.refresh_due().await, 0, "nothing refreshed under another endpoint");
        let err = now.tokens.access_token(&id).await.unwrap_err();
        assert_eq!(err.code(), "endpoint_mismatch");
        assert!(err.to_string().contains("nothing was sent"), "{err}");
        assert_eq!(now.tokens.refresh(&id).await.unwrap_err().code(), "endpoint_mismatch");
        assert_eq!(now.installations.get(&id).unwrap().needs_reauth, None, "not marked Needs re-auth");
    }
    assert_eq!(other.token_requests(), 0, "the other endpoint never saw the refresh token or the secret");
    assert_eq!(other.with(|w| w.rest_requests), 0);
    // Back under its own endpoint, it works as before.
    let back = Services::with_store_opener(dir.path(), Endpoints::under(first.base_url()).unwrap(), opener(store));
    back.tokens.access_token(&id).await.unwrap();
}

/// Broken: an installation with no recorded endpoint (made against Microsoft itself)
/// served under an override, so its refresh token would go to the override's host.
#[tokio::test]
async fn an_installation_made_against_microsoft_gets_nothing_under_an_override() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let made = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    support::share_demo_app(&made, &fake).await;
    let id = support::sign_in(&made, &shared_install()).await;
    // What an installation made against Microsoft records: no endpoint. And due at once.
    made.state
        .settings
        .update(|s| {
            s.installations.iter_mut().for_each(|i| (i.endpoint, i.access_expires_at) = (None, 0));
            Ok(())
        })
        .unwrap();
    drop(made);
    let now = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store));
    let before = fake.token_requests();
    assert_eq!(now.tokens.refresh_due().await, 0, "not refreshed under the override");
    let err = now.tokens.access_token(&id).await.unwrap_err();
    assert_eq!(err.code(), "endpoint_mismatch");
    assert!(err.to_string().contains("made against Microsoft"), "{err}");
    assert_eq!(now.tokens.refresh(&id).await.unwrap_err().code(), "endpoint_mismatch");
    assert_eq!(fake.token_requests(), before, "the override's host never saw the refresh token");
}
