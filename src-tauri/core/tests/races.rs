//! Refresh against uninstall and re-authentication: with a slow refresh in
//! flight, uninstall leaves nothing in the keychain, and a new sign-in's tokens
//! are the ones kept.

mod support;

use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallationId;
use connector_core::services::tokens::Status;
use connector_core::store::keychain::SecretStore;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, Fault, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

async fn setup() -> (FakeMicrosoft, Arc<Services>, Arc<MemoryStore>, InstallationId, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let s = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone())));
    share_demo_app(&s, &fake).await;
    let id = sign_in(&s, &shared_install()).await;
    // The next token request takes a while: the refresh is in flight when the other action comes.
    fake.with(|w| w.token_faults.push_back(Fault::Delay(Duration::from_millis(600))));
    (fake, s, store, id, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uninstall_during_a_refresh_leaves_nothing_in_the_keychain() {
    let (_fake, s, store, id, _dir) = setup().await;
    let refresh = {
        let (s, id) = (s.clone(), id.clone());
        tokio::spawn(async move { s.tokens.refresh(&id).await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    s.installations.uninstall(&id).await.unwrap();
    let _ = refresh.await.unwrap();
    let left: Vec<String> = store.accounts().into_iter().filter(|a| a.starts_with("installation/")).collect();
    assert!(left.is_empty(), "orphaned in the keychain: {left:?}");
    assert!(s.installations.all().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_re_authentication_during_a_refresh_wins() {
    let (fake, s, store, id, _dir) = setup().await;
    let refresh = {
        let (s, id) = (s.clone(), id.clone());
        tokio::spawn(async move { s.tokens.refresh(&id).await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let mut again = shared_install();
    again.reauth = Some(id.clone());
    sign_in(&s, &again).await;
    let refreshed = refresh.await.unwrap().unwrap();
    let raw = store.get(&format!("installation/{id}/tokens")).unwrap().unwrap();
    let kept: serde_json::Value = serde_json::from_str(raw.expose()).unwrap();
    assert_ne!(kept["a"].as_str().unwrap(), refreshed.expose(), "the refresh's tokens did not overwrite the sign-in's");
    assert!(fake.with(|w| w.is_refresh_token_live(kept["r"].as_str().unwrap())), "the kept refresh token works");
    assert_eq!(s.tokens.status(&id), Status::Connected);
    assert!(s.installations.get(&id).unwrap().needs_reauth.is_none());
}

/// Another process (a `token` or Git-helper run: its own Services on the same data
/// folder and keychain) refreshing while the window uninstalls: the uninstall waits
/// for the installation's lock file, so no live refresh token is left behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uninstall_waits_for_a_refresh_in_another_process() {
    let (fake, window, store, id, dir) = setup().await;
    let endpoints = Endpoints::under(fake.base_url()).unwrap();
    let cli = Arc::new(Services::with_store_opener(dir.path(), endpoints, opener(store.clone())));
    let other = cli.clone();
    let refreshing = tokio::spawn({
        let id = id.clone();
        async move { other.tokens.refresh(&id).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    window.installations.uninstall(&id).await.unwrap();
    let _ = refreshing.await.unwrap();
    assert!(store.accounts().iter().all(|a| !a.contains(id.as_str())), "left in the keychain: {:?}", store.accounts());
    assert!(window.installations.get(&id).is_err());
}

/// The same for a re-authentication: the record and the keychain hold the new sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reauth_waits_for_a_refresh_in_another_process() {
    let (fake, window, store, id, dir) = setup().await;
    let cli = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone())));
    let other = cli.clone();
    let refreshing = tokio::spawn({
        let id = id.clone();
        async move { other.tokens.refresh(&id).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = connector_core::model::installation::InstallInput { reauth: Some(id.clone()), ..shared_install() };
    sign_in(&window, &again).await;
    let after_sign_in = store.get(&format!("installation/{id}/tokens")).unwrap().unwrap().expose().to_string();
    let _ = refreshing.await.unwrap();
    // The keychain holds the new sign-in's tokens: the other process's refresh didn't overwrite them.
    let now = store.get(&format!("installation/{id}/tokens")).unwrap().unwrap().expose().to_string();
    assert_eq!(now, after_sign_in, "the old sign-in's refresh replaced the new sign-in's tokens");
    let refresh = serde_json::from_str::<serde_json::Value>(&now).unwrap()["r"].as_str().unwrap().to_string();
    assert!(fake.with(|w| w.is_refresh_token_live(&refresh)), "the keychain holds a dead refresh token");
    assert!(matches!(window.tokens.status(&id), Status::Connected | Status::Refreshing));
}

/// A keychain whose first read waits for the user (an unlock prompt) until the test answers.
struct Prompting {
    inner: Arc<MemoryStore>,
    shown: std::sync::Mutex<Option<std::sync::mpsc::Sender<()>>>,
    answer: std::sync::Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

impl SecretStore for Prompting {
    fn get(&self, account: &str) -> connector_core::Result<Option<connector_core::Secret>> {
        if let Some(shown) = self.shown.lock().unwrap().take() {
            shown.send(()).unwrap();
            let answer = self.answer.lock().unwrap().take().unwrap();
            answer.recv().unwrap();
        }
        self.inner.get(account)
    }
    fn set(&self, account: &str, value: &connector_core::Secret) -> connector_core::Result<()> {
        self.inner.set(account, value)
    }
    fn delete(&self, account: &str) -> connector_core::Result<()> {
        self.inner.delete(account)
    }
}

/// Broken: the installation's lock was taken first and the keychain read under it, so a
/// process waiting on an unlock prompt held every other process's refresh up with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_process_waiting_on_a_keychain_prompt_holds_no_lock() {
    let (_fake, window, store, id, dir) = setup().await;
    let (shown_tx, shown) = std::sync::mpsc::channel();
    let (answer, answer_rx) = std::sync::mpsc::channel();
    let prompting = Arc::new(Prompting { inner: store, shown: Some(shown_tx).into(), answer: Some(answer_rx).into() });
    let opener: connector_core::store::keychain::StoreOpener = Arc::new(move || Ok(prompting.clone() as Arc<dyn SecretStore>));
    let endpoints = Endpoints::under(_fake.base_url()).unwrap();
    let cli = Arc::new(Services::with_store_opener(dir.path(), endpoints, opener));
    let waiting = {
        let (cli, id) = (cli.clone(), id.clone());
        tokio::spawn(async move { cli.tokens.refresh(&id).await })
    };
    tokio::task::spawn_blocking(move || shown.recv().unwrap()).await.unwrap();
    // The prompt is up in the other process: this one still refreshes.
    let refreshed = tokio::time::timeout(Duration::from_secs(20), window.tokens.refresh(&id)).await;
    answer.send(()).unwrap();
    assert!(refreshed.expect("blocked behind the other process's keychain prompt").is_ok());
    assert!(waiting.await.unwrap().is_ok(), "and the prompting process uses those tokens once answered");
}
