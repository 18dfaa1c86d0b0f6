//! Behaviours a hand-made mutation run broke without any test noticing: each test
//! here passes on the code and fails on the broken version it names.

mod support;

use std::io::Read;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallationId;
use connector_core::services::tokens::Status;
use connector_core::store::settings::{Settings, SettingsFile};
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, Fault, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

async fn installed() -> (FakeMicrosoft, Arc<Services>, Arc<MemoryStore>, InstallationId, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let s = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone())));
    share_demo_app(&s, &fake).await;
    let id = sign_in(&s, &shared_install()).await;
    // Due at once.
    s.state
        .settings
        .update(|st| {
            st.installations.iter_mut().for_each(|i| i.access_expires_at = 0);
            Ok(())
        })
        .unwrap();
    (fake, s, store, id, dir)
}

/// Broken: the generation re-check removed, so each waiting caller sent its own request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_callers_against_a_failing_token_endpoint_send_one_request() {
    let (fake, s, _store, id, _dir) = installed().await;
    // The failing request takes a while, so all twenty callers arrive while it is in flight.
    fake.with(|w| {
        (0..20).for_each(|_| w.token_faults.push_back(Fault::ServerError));
        w.token_latency = std::time::Duration::from_millis(500);
    });
    let before = fake.token_requests();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (s, id) = (s.clone(), id.clone());
        set.spawn(async move { s.tokens.access_token(&id).await });
    }
    let results = set.join_all().await;
    assert!(results.iter().all(Result::is_err), "every caller shares the one failure");
    assert_eq!(fake.token_requests() - before, 1, "one token request for twenty callers");
}

/// Broken: the refresh error classified as needing a new sign-in. A connection that
/// fails (here: nothing listens any more) keeps the tokens and says when it retries.
#[tokio::test]
async fn a_refused_connection_during_refresh_keeps_the_tokens_and_retries() {
    let (fake, s, store, id, _dir) = installed().await;
    let tokens_before = store.accounts();
    drop(fake); // the server stops: connections are refused
    let err = s.tokens.refresh(&id).await.unwrap_err();
    assert_eq!(err.code(), "network_error", "{err}");
    assert!(matches!(s.tokens.status(&id), Status::Error { retry_at, .. } if retry_at > 0), "{:?}", s.tokens.status(&id));
    assert_eq!(s.installations.get(&id).unwrap().needs_reauth, None);
    assert_eq!(store.accounts(), tokens_before, "tokens kept");
}

/// Broken: settings.json written in place (or the temp file copied over it). A reader
/// holding the old file open still reads the complete old bytes: a rename replaced it.
#[test]
fn a_reader_of_the_old_settings_file_keeps_the_whole_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::in_dir(dir.path());
    let first = Settings { sign_in_timeout_secs: 120, ..Default::default() };
    file.save(&first).unwrap();
    let old = std::fs::read(file.path()).unwrap();
    let mut reader = std::fs::File::open(file.path()).unwrap();
    let second = Settings { sign_in_timeout_secs: 3000, entra_embedded_window: true, ..Default::default() };
    file.save(&second).unwrap();
    let mut seen = Vec::new();
    reader.read_to_end(&mut seen).unwrap();
    assert_eq!(seen, old, "the open file still holds the old bytes, whole");
    assert_ne!(std::fs::read(file.path()).unwrap(), old, "the path holds the new file");
}

/// Broken: a host that merely starts with "localhost" accepted as this machine.
#[test]
fn loopback_means_loopback() {
    for bad in ["http://localhost.evil.example", "http://127.0.0.1.evil.example:8700", "http://localhost@evil.example"] {
        assert!(Endpoints::under(bad).is_err(), "{bad}");
    }
    for good in ["http://127.0.0.1:8700", "http://[::1]:8700", "http://localhost:8700", "https://proxy.example"] {
        assert!(Endpoints::under(good).is_ok(), "{good}");
    }
}
