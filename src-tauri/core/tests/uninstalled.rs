//! Uninstall's edges: an id that is not an installation id never becomes part of a
//! path, and new tokens a process could not save are not brought back for an
//! installation another process uninstalled meanwhile.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallationId;
use connector_core::store::keychain::{SecretStore, StoreOpener};
use connector_core::Services;
use support::{opener, signed_in_window, RefusesWrites, Window};

/// Broken: the id went into the lock file's path unchecked, so `x/../../../escape`
/// created a file outside the data folder (and anything the process may write).
#[tokio::test]
async fn an_id_that_is_not_an_installation_id_is_refused_before_it_becomes_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(dir.path().join("data"), Endpoints::microsoft(), opener(Arc::default()));
    for bad in ["x/../../../escape", "..", "a\\b", ""] {
        // As a settings file or a payload has it: read as written, unchecked.
        let read: InstallationId = serde_json::from_value(serde_json::json!(bad)).unwrap();
        let err = s.installations.uninstall(&read).await.unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{bad:?}: {err}");
        assert!(!err.to_string().contains(bad) || bad.is_empty(), "the text is not echoed: {err}");
    }
    assert!(!dir.path().join("escape.lock").exists(), "a file outside the data folder");
    assert!(!dir.path().join("data/locks").exists(), "no lock file for a non-id");
}

/// Broken: `save_pending` trusted the record it had in memory, so a command line that
/// saved its pending tokens after the window uninstalled the installation put them back
/// into the keychain, with nothing pointing to them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_tokens_of_an_installation_uninstalled_meanwhile_stay_gone() {
    let Window { fake, dir, keychain, services: window, id } = signed_in_window().await;
    let endpoints = || Endpoints::under(fake.base_url()).unwrap();

    // A second process whose keychain refuses the rotated tokens: it keeps them pending.
    let refusing = Arc::new(RefusesWrites { inner: keychain.clone(), refuse: AtomicBool::new(true) });
    let store = refusing.clone();
    let open: StoreOpener = Arc::new(move || Ok(store.clone() as Arc<dyn SecretStore>));
    let cli = Services::with_store_opener(dir.path(), endpoints(), open);
    assert_eq!(cli.tokens.refresh(&id).await.unwrap_err().code(), "keychain_unavailable");

    window.installations.uninstall(&id).await.unwrap();
    let gone = |accounts: Vec<String>| !accounts.iter().any(|a| a.starts_with(&format!("installation/{id}/")));
    assert!(gone(keychain.accounts()), "{:?}", keychain.accounts());
    refusing.refuse.store(false, Ordering::SeqCst);
    let unsaved = cli.tokens.save_pending().await;
    assert!(unsaved.is_empty(), "{:?}", unsaved.iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>());
    assert!(gone(keychain.accounts()), "the uninstalled installation's tokens came back: {:?}", keychain.accounts());
}
