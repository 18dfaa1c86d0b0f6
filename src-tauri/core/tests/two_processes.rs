//! Two apps on one data directory (the window and a command-line run), each
//! with its own settings copy, refreshing the same legacy installation at once:
//! one token request, both get the same token, and the rotated refresh token
//! is the one stored. flock(2) locks separate opens even within one process,
//! so two `Services` here contend exactly as two processes do.

mod support;

use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::services::tokens::Status;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, Fault, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_apps_refreshing_one_installation_send_one_token_request() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let endpoints = || Endpoints::under(fake.base_url()).unwrap();
    let window = Arc::new(Services::with_store_opener(dir.path(), endpoints(), opener(store.clone())));
    share_demo_app(&window, &fake).await;
    fake.with(|w| w.lifetimes.access_token = Duration::from_secs(1));
    let id = sign_in(&window, &shared_install()).await;
    // The second app starts after the sign-in, as a command-line run would.
    let cli = Arc::new(Services::with_store_opener(dir.path(), endpoints(), opener(store.clone())));
    // A slow token endpoint keeps the first refresh in flight while the second asks.
    fake.with(|w| w.token_faults.push_back(Fault::Delay(Duration::from_millis(400))));
    let before = fake.token_requests();
    let (a, b) = tokio::join!(window.tokens.access_token(&id), cli.tokens.access_token(&id));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(fake.token_requests() - before, 1, "exactly one token request");
    assert_eq!(a.expose(), b.expose(), "both got the same new token");
    assert_eq!(window.tokens.status(&id), Status::Connected);
    assert_eq!(cli.tokens.status(&id), Status::Connected);
    // The window's view catches up with what the other app wrote.
    window.state.settings.reload_if_changed().unwrap();
    assert!(window.installations.get(&id).unwrap().last_refreshed_at.is_some());
}
