//! What gives an installation a fresh start in a running process: signing in again (its old
//! status and any tokens the keychain refused are dropped), and another process's save (the
//! window's live status gives way to the record that process wrote).

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallInput;
use connector_core::services::tokens::Status;
use connector_core::store::keychain::{installation_tokens, SecretStore, StoreOpener};
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, Fault, World};
use support::{opener, share_demo_app, shared_install, sign_in, signed_in_window, MemoryStore, RefusesWrites, Window};

/// Tokens a refresh got but the keychain refused are older than a sign-in that comes after:
/// saving them later must not put them over the sign-in's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_again_drops_the_refused_tokens_and_the_old_status() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keychain = Arc::new(MemoryStore::default());
    let refusing = Arc::new(RefusesWrites { inner: keychain.clone(), refuse: AtomicBool::new(false) });
    let store = refusing.clone();
    let open: StoreOpener = Arc::new(move || Ok(store.clone() as Arc<dyn SecretStore>));
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), open);
    share_demo_app(&s, &fake).await;
    let id = sign_in(&s, &shared_install()).await;

    refusing.refuse.store(true, Ordering::SeqCst);
    assert_eq!(s.tokens.refresh(&id).await.unwrap_err().code(), "keychain_unavailable");
    assert!(matches!(s.tokens.status(&id), Status::Error { .. }), "{:?}", s.tokens.status(&id));
    refusing.refuse.store(false, Ordering::SeqCst);

    sign_in(&s, &InstallInput { reauth: Some(id.clone()), ..shared_install() }).await;
    assert_eq!(s.tokens.status(&id), Status::Connected, "the sign-in's status, not the refresh's error");
    let signed_in = keychain.get_raw(&installation_tokens(&id)).expect("the sign-in's tokens");
    let unsaved = s.tokens.save_pending().await;
    assert!(unsaved.is_empty(), "{:?}", unsaved.iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>());
    assert_eq!(keychain.get_raw(&installation_tokens(&id)).as_deref(), Some(signed_in.as_str()), "the refused tokens came back");
}

/// A command-line run refreshed after the window's own refresh failed: the window's "Error,
/// retrying" gives way to the record, once, and only when the file changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_catches_up_with_a_refresh_another_process_saved() {
    let Window { fake, dir, keychain, services: window, id } = signed_in_window().await;
    let cli = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(keychain));

    fake.with(|w| w.token_faults.push_back(Fault::ServerError));
    window.tokens.refresh(&id).await.unwrap_err();
    assert!(matches!(window.tokens.status(&id), Status::Error { .. }), "{:?}", window.tokens.status(&id));
    assert!(!window.tokens.catch_up().unwrap(), "nothing saved by anyone else yet");
    assert!(matches!(window.tokens.status(&id), Status::Error { .. }), "kept while the file is unchanged");

    cli.tokens.refresh(&id).await.unwrap();
    assert!(window.tokens.catch_up().unwrap(), "the other process's save is noticed");
    assert_eq!(window.tokens.status(&id), Status::Connected, "the record speaks, not the old error");
    assert!(!window.tokens.catch_up().unwrap(), "and noticed once");
}
