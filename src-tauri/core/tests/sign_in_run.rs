//! `SignIn::run` owns a sign-in from start to end: the window (through the
//! shell's port, scripted here), the timeout, Cancel and the abort.

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, shared_install, MemoryStore, Port, ScriptedWindows, User};

async fn setup() -> (FakeMicrosoft, Services, Arc<MemoryStore>, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    support::share_demo_app(&services, &fake).await;
    (fake, services, store, dir)
}

#[tokio::test]
async fn the_redirect_is_intercepted_never_loaded_and_the_installation_is_ready() {
    let (_fake, s, store, _dir) = setup().await;
    let windows = ScriptedWindows::new(User::Consents("accept"));
    let done = s.sign_in.run(&shared_install(), &Port(windows.clone())).await.unwrap();
    assert_eq!(done.installation.organization, "contoso");
    assert!(!windows.redirect_loaded.load(Ordering::SeqCst), "the callback page must never load");
    assert!(windows.closed.load(Ordering::SeqCst), "the window is closed once Microsoft answered");
    assert!(store.accounts().iter().any(|a| a.contains(done.installation.id.as_str())), "tokens in the keychain");
}

#[tokio::test(start_paused = true)]
async fn a_sign_in_nobody_answers_times_out_closes_its_window_and_frees_the_slot() {
    let (_fake, s, store, _dir) = setup().await;
    let before = store.accounts();
    let windows = ScriptedWindows::new(User::Waits);
    // Paused time: the 10 minutes pass as soon as nothing else is left to do.
    let err = s.sign_in.run(&shared_install(), &Port(windows.clone())).await.unwrap_err();
    assert_eq!(err.code(), "sign_in_timeout");
    assert!(err.to_string().contains("10 minutes"), "{err}");
    assert!(windows.closed.load(Ordering::SeqCst), "the timed-out window is closed");
    assert_eq!(store.accounts(), before, "nothing stored");
    // The attempt ended: a new sign-in may start (and opens its window).
    let err = s.sign_in.run(&shared_install(), &Port(ScriptedWindows::new(User::ClosesTheWindow))).await.unwrap_err();
    assert_eq!(err.code(), "sign_in_cancelled", "not sign_in_in_progress");
}

#[tokio::test]
async fn cancel_ends_an_embedded_sign_in_and_closes_its_window() {
    let (_fake, s, store, _dir) = setup().await;
    let before = store.accounts();
    let windows = ScriptedWindows::new(User::Waits);
    let (sign_in, w) = (s.sign_in.clone(), windows.clone());
    let run = tokio::spawn(async move { sign_in.run(&shared_install(), &Port(w)).await });
    windows.opened.notified().await;
    s.sign_in.cancel();
    let err = run.await.unwrap().unwrap_err();
    assert_eq!(err.code(), "sign_in_cancelled");
    assert!(windows.closed.load(Ordering::SeqCst));
    assert_eq!(store.accounts(), before, "nothing stored");
}

#[tokio::test]
async fn closing_the_window_is_a_cancel_not_an_error_from_microsoft() {
    let (_fake, s, _store, _dir) = setup().await;
    let err = s.sign_in.run(&shared_install(), &Port(ScriptedWindows::new(User::ClosesTheWindow))).await.unwrap_err();
    assert_eq!(err.code(), "sign_in_cancelled");
}

#[tokio::test]
async fn a_cancel_before_any_sign_in_does_not_cancel_the_next_one() {
    let (_fake, s, _store, _dir) = setup().await;
    s.sign_in.cancel();
    let done = s.sign_in.run(&shared_install(), &Port(ScriptedWindows::new(User::Consents("accept")))).await;
    assert!(done.is_ok(), "{:?}", done.err());
}

#[tokio::test]
async fn a_denied_consent_is_microsofts_answer_and_the_window_closes() {
    let (_fake, s, _store, _dir) = setup().await;
    let windows = ScriptedWindows::new(User::Consents("deny"));
    let err = s.sign_in.run(&shared_install(), &Port(windows.clone())).await.unwrap_err();
    assert_eq!(err.code(), "access_denied");
    assert!(windows.closed.load(Ordering::SeqCst));
}
