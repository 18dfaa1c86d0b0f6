//! The token lifecycle against the fake Microsoft: single-flight, rotation,
//! faults, permanent failures, and a keychain that fails mid-rotation.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallationId;
use connector_core::services::tokens::Status;
use connector_core::store::keychain::SecretStore;
use connector_core::store::keychain::StoreOpener;
use connector_core::{Error, Result, Secret, Services};
use fake_microsoft::{FakeMicrosoft, Fault, World};
use support::{share_demo_app, shared_install, sign_in, MemoryStore};

/// A real in-memory store whose writes can be made to fail, to inject a
/// keychain failure in the middle of a rotation.
#[derive(Default)]
struct FlakyStore {
    inner: MemoryStore,
    fail_writes: AtomicBool,
}

impl SecretStore for FlakyStore {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        self.inner.get(account)
    }
    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        if self.fail_writes.load(Ordering::SeqCst) {
            return Err(Error::KeychainUnavailable { problem: connector_core::error::KeychainProblem::Locked, detail: "injected".into() });
        }
        self.inner.set(account, value)
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.inner.delete(account)
    }
}

struct Setup {
    fake: FakeMicrosoft,
    services: Arc<Services>,
    store: Arc<FlakyStore>,
    id: InstallationId,
    _dir: tempfile::TempDir,
}

fn tokens(store: &FlakyStore, id: &InstallationId) -> (String, String) {
    let raw = store.inner.get(&format!("installation/{id}/tokens")).unwrap().unwrap();
    let v: serde_json::Value = serde_json::from_str(raw.expose()).unwrap();
    (v["a"].as_str().unwrap().into(), v["r"].as_str().unwrap().into())
}

/// A services with one signed-in installation whose access token has already expired.
async fn installed() -> Setup {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FlakyStore::default());
    let s2 = store.clone();
    let opener: StoreOpener = Arc::new(move || Ok(s2.clone() as Arc<dyn SecretStore>));
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener));
    share_demo_app(&services, &fake).await;
    // Tokens live 1 s, so they are due for refresh right away.
    fake.with(|w| w.lifetimes.access_token = Duration::from_secs(1));
    let id = sign_in(&services, &shared_install()).await;
    fake.with(|w| w.lifetimes.access_token = Duration::from_secs(3600));
    Setup { fake, services, store, id, _dir: dir }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_callers_cause_one_token_request() {
    let s = installed().await;
    let before = s.fake.token_requests();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let (c, id) = (s.services.clone(), s.id.clone());
        set.spawn(async move { c.tokens.access_token(&id).await.map(|t| t.expose().to_string()) });
    }
    let mut got = Vec::new();
    while let Some(r) = set.join_next().await {
        got.push(r.unwrap().unwrap());
    }
    assert_eq!(s.fake.token_requests() - before, 1, "exactly one token request");
    assert!(got.iter().all(|t| *t == got[0]), "every caller gets the same new token");
    assert_eq!(got[0], tokens(&s.store, &s.id).0);
}

#[tokio::test]
async fn rotation_stores_the_new_refresh_token_and_the_old_one_is_dead() {
    let s = installed().await;
    let (_, old_refresh) = tokens(&s.store, &s.id);
    s.services.tokens.refresh(&s.id).await.unwrap();
    let (_, new_refresh) = tokens(&s.store, &s.id);
    assert_ne!(old_refresh, new_refresh);
    assert!(!s.fake.with(|w| w.is_refresh_token_live(&old_refresh)), "the fake rejects the old one");
    assert!(s.fake.with(|w| w.is_refresh_token_live(&new_refresh)));
    let i = s.services.installations.all().into_iter().next().unwrap();
    assert!(i.last_refreshed_at.is_some());
    assert_eq!(s.services.tokens.status(&s.id), Status::Connected);
}

#[tokio::test]
async fn each_transient_fault_keeps_the_tokens_and_schedules_a_retry() {
    let s = installed().await;
    // The first failure waits 30 s, the second 60 s (a second of slack for the clock).
    for (fault, wait) in [(Fault::ServerError, 30), (Fault::GarbageBody, 60)] {
        let before = tokens(&s.store, &s.id);
        let now = connector_core::store::settings::now_secs();
        s.fake.with(|w| w.token_faults.push_back(fault.clone()));
        let err = s.services.tokens.refresh(&s.id).await.unwrap_err();
        assert!(["microsoft_unavailable", "unexpected_response"].contains(&err.code()), "{fault:?}: {err:?}");
        assert_eq!(tokens(&s.store, &s.id), before, "{fault:?} must keep the tokens");
        match s.services.tokens.status(&s.id) {
            Status::Error { retry_at, .. } => assert!((now + wait..=now + wait + 1).contains(&retry_at), "{fault:?}: {retry_at} - {now}"),
            other => panic!("{fault:?}: status {other:?}"),
        }
    }
    // After the faults, a refresh works with the kept tokens.
    s.services.tokens.refresh(&s.id).await.unwrap();
    assert_eq!(s.services.tokens.status(&s.id), Status::Connected);
}

#[tokio::test]
async fn a_slow_token_endpoint_still_refreshes_and_timeouts_are_transient() {
    let s = installed().await;
    s.fake.with(|w| w.token_faults.push_back(Fault::Delay(Duration::from_millis(500))));
    s.services.tokens.refresh(&s.id).await.unwrap();
    assert_eq!(s.services.tokens.status(&s.id), Status::Connected);
}

#[tokio::test]
async fn a_revoked_refresh_token_means_needs_reauth_and_it_is_remembered() {
    let s = installed().await;
    s.fake.with(|w| w.revoke_all_refresh_tokens());
    let err = s.services.tokens.refresh(&s.id).await.unwrap_err();
    assert_eq!(err.code(), "needs_reauth");
    assert!(matches!(s.services.tokens.status(&s.id), Status::NeedsReauth { .. }));
    let i = s.services.installations.all().into_iter().next().unwrap();
    assert!(i.needs_reauth.is_some(), "persisted, so a restart still shows it");
    let before = s.fake.token_requests();
    let again = s.services.tokens.access_token(&s.id).await.unwrap_err();
    assert_eq!(again.code(), "needs_reauth");
    assert_eq!(s.fake.token_requests(), before, "no more token requests once re-auth is needed");
    // The reason is said once: not the message, then the message again, with the hint twice.
    let shown = format!("{again} {}", again.hint());
    assert_eq!(shown.matches(&err.reauth_reason()).count(), 1, "{shown}");
    assert_eq!(shown.matches(again.hint().as_str()).count(), 1, "{shown}");
    let Status::NeedsReauth { reason } = s.services.tokens.status(&s.id) else { panic!("not needs re-auth") };
    assert_eq!(reason, err.reauth_reason(), "the row shows the reason alone");
}

#[tokio::test]
async fn missing_keychain_entry_is_needs_reauth_not_a_crash() {
    let s = installed().await;
    s.store.inner.delete(&format!("installation/{}/tokens", s.id)).unwrap();
    let err = s.services.tokens.access_token(&s.id).await.unwrap_err();
    assert_eq!(err.code(), "needs_reauth");
    assert!(err.to_string().contains("credentials missing from keychain"), "{}", err);
    assert!(matches!(s.services.tokens.status(&s.id), Status::NeedsReauth { .. }));
    // Shown, but not written down: another keyring may still hold them after a restart.
    assert!(s.services.installations.all()[0].needs_reauth.is_none());
    assert_eq!(s.services.tokens.refresh_due().await, 0, "no retry loop against an empty keychain");
}

#[tokio::test]
async fn a_keychain_write_failure_during_rotation_loses_nothing() {
    let s = installed().await;
    let old = tokens(&s.store, &s.id);
    s.store.fail_writes.store(true, Ordering::SeqCst);
    let err = s.services.tokens.refresh(&s.id).await.unwrap_err();
    assert!(err.to_string().contains("kept by this process"), "{}", err);
    assert_eq!(tokens(&s.store, &s.id), old, "the old tokens are untouched");
    assert!(matches!(s.services.tokens.status(&s.id), Status::Error { .. }));
    // The old refresh token died at Microsoft with the rotation…
    assert!(!s.fake.with(|w| w.is_refresh_token_live(&old.1)));
    // …so the new tokens must survive in memory and land once the keychain works.
    s.store.fail_writes.store(false, Ordering::SeqCst);
    let requests = s.fake.token_requests();
    s.services.tokens.refresh(&s.id).await.unwrap();
    assert_eq!(s.fake.token_requests(), requests, "stored from memory, no new token request");
    let (_, saved_refresh) = tokens(&s.store, &s.id);
    assert!(s.fake.with(|w| w.is_refresh_token_live(&saved_refresh)), "the saved refresh token is the live one");
    s.services.tokens.refresh(&s.id).await.unwrap();
    assert_eq!(s.services.tokens.status(&s.id), Status::Connected);
}

/// Broken: nothing saved pending tokens at exit. A command-line refresh whose keychain write
/// failed exited with the only good tokens in memory.
#[tokio::test]
async fn tokens_the_keychain_refused_are_saved_before_exit_or_reported_lost() {
    let s = installed().await;
    s.store.fail_writes.store(true, Ordering::SeqCst);
    s.services.tokens.refresh(&s.id).await.unwrap_err();
    let still = s.services.tokens.save_pending().await;
    assert_eq!(still.len(), 1, "the keychain still refuses: reported, not dropped");
    assert_eq!(still[0].0.id, s.id);
    assert_eq!(still[0].1.code(), "keychain_unavailable");
    s.store.fail_writes.store(false, Ordering::SeqCst);
    let requests = s.fake.token_requests();
    assert!(s.services.tokens.save_pending().await.is_empty(), "saved on the second try");
    assert_eq!(s.fake.token_requests(), requests, "from memory, no token request");
    let (_, saved_refresh) = tokens(&s.store, &s.id);
    assert!(s.fake.with(|w| w.is_refresh_token_live(&saved_refresh)), "the live refresh token is in the keychain");
    assert!(s.services.tokens.save_pending().await.is_empty(), "nothing left to save");
}

#[tokio::test]
async fn proactive_refresh_picks_due_installations_and_reports_status_events() {
    let s = installed().await;
    let mut events = s.services.tokens.subscribe();
    assert_eq!(s.services.tokens.refresh_due().await, 1);
    let first = events.recv().await.unwrap();
    assert_eq!(first.status, Status::Refreshing);
    let second = events.recv().await.unwrap();
    assert_eq!(second.status, Status::Connected);
    assert!(second.last_refreshed_at.is_some());
    assert_eq!(s.services.tokens.refresh_due().await, 0, "a fresh 1-hour token is not due");
}

#[tokio::test]
async fn uninstall_removes_keychain_entries_and_metadata_and_is_idempotent() {
    let s = installed().await;
    s.services.installations.uninstall(&s.id).await.unwrap();
    assert!(s.services.installations.all().is_empty());
    assert_eq!(s.store.inner.accounts(), ["library/azure-devops/client-secret"]);
    s.services.installations.uninstall(&s.id).await.unwrap();
}

#[tokio::test]
async fn the_list_says_which_methods_the_granted_scopes_allow() {
    let s = installed().await;
    let view = s.services.installations.views().remove(0);
    assert!(view.methods_available.contains(&"Create a work item".to_string()));
    assert_eq!(view.methods_unavailable, ["Query the audit log"], "vso.work_full + vso.project has no audit log");
}

#[tokio::test]
async fn test_connection_runs_the_ready_check_again() {
    let s = installed().await;
    let msg = s.services.methods.test_connection(&s.id).await.unwrap();
    assert!(msg.contains("Dana Developer") && msg.contains("contoso / Website"), "{msg}");
    s.fake.with(|w| w.organization_mut("contoso").unwrap().projects.retain(|p| p.name != "Website"));
    assert_eq!(s.services.methods.test_connection(&s.id).await.unwrap_err().code(), "project_not_found");
}

/// The Needs re-auth reason is said once, however many layers pass it on
/// (it used to read "Microsoft no longer accepts this sign-in: " three times).
#[test]
fn a_reauth_reason_is_said_once_however_often_it_is_passed_on() {
    let first = connector_core::Error::NeedsReauth { description: "AADSTS70008: The refresh token has expired.".into() };
    let again = connector_core::Error::NeedsReauth { description: first.reauth_reason() };
    let third = connector_core::Error::NeedsReauth { description: again.reauth_reason() };
    assert_eq!(third.reauth_reason(), "AADSTS70008: The refresh token has expired.");
    assert_eq!(third.to_string().matches("AADSTS70008").count(), 1, "{third}");
}
