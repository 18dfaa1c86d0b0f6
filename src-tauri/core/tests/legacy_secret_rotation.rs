//! A legacy app's Client Secret, as Microsoft documents it (azure-devops-oauth, "Regenerate
//! client secret"; the "overlapping secrets" blog post): tokens issued with a secret die
//! when it expires or is regenerated, and an app may hold two secrets at once. So a new
//! secret added before the old one expires must re-mint every installation's tokens while both
//! work: Rotate secret renews them all at once, or each renews at its next refresh once the
//! entry has the new secret. After an expiry each installation must sign in again (and keeps
//! its organization, project and history when it does).

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::services::tokens::Status;
use connector_core::store::keychain::SecretStore;
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

/// Where the shared legacy entry keeps its secret.
const ACCOUNT: &str = "library/azure-devops/client-secret";
const NEXT_SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.next";

async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir) {
    let (fake, s, _store, dir) = setup_with_store().await;
    (fake, s, dir)
}

/// The same, with the keychain the services write to, to read it back.
async fn setup_with_store() -> (FakeMicrosoft, Services, Arc<MemoryStore>, tempfile::TempDir) {
    let store = Arc::new(MemoryStore::default());
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    (fake, s, store, dir)
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
    assert!(reason.contains("Client Secret") && reason.contains(err.hint().as_str()), "the status says what to do: {reason}");
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

/// The owner adds a second secret on the registration page: the fake's app accepts both.
fn add_next_secret(fake: &FakeMicrosoft) {
    fake.with(|w| w.legacy_apps[0].overlapping_secret = Some(NEXT_SECRET.into()));
}

fn second_project() -> InstallInput {
    InstallInput { project: "Fabrikam Fiber".into(), ..shared_install() }
}

#[tokio::test]
async fn a_rotation_renews_every_installation_with_the_next_secret_so_the_old_one_may_expire() {
    let (fake, s, store, _dir) = setup_with_store().await;
    share_demo_app(&s, &fake).await;
    let ids = [sign_in(&s, &shared_install()).await, sign_in(&s, &second_project()).await];
    add_next_secret(&fake);
    let outcome = s.rotation.rotate("azure-devops", Secret::new(NEXT_SECRET), Some("2027-02-01".into())).await.unwrap();
    assert_eq!((outcome.renewed, outcome.total, outcome.old_secret_may_go), (2, 2, true), "{}", outcome.message);
    assert!(outcome.message.starts_with("2 of 2 installations renewed"), "{}", outcome.message);
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), NEXT_SECRET, "the entry's secret is the new one");
    assert_eq!(outcome.connector.entry().unwrap().values["client_secret_expires"], "2027-02-01");
    // The old secret expires: every token it minted dies, and none of ours was minted with it.
    fake.with(|w| w.legacy_apps[0].secret_expired = true);
    for id in &ids {
        s.tokens.refresh(id).await.expect("renewed before the old secret expired");
        assert!(matches!(s.tokens.status(id), Status::Connected));
        assert_eq!(s.installations.get(id).unwrap().needs_reauth, None);
    }
}

/// A renewal with the next secret that waited behind an ordinary refresh makes its own token
/// request: the tokens that refresh got were minted with the old secret, and die with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_that_waited_behind_a_refresh_still_mints_with_the_next_secret() {
    let (fake, s, _dir) = setup().await;
    share_demo_app(&s, &fake).await;
    let id = sign_in(&s, &shared_install()).await;
    add_next_secret(&fake);
    // Long enough that a loaded machine can't run the whole refresh between two looks below.
    fake.with(|w| w.token_latency = std::time::Duration::from_secs(1));
    let refresh = tokio::spawn({
        let (tokens, id) = (s.tokens.clone(), id.clone());
        async move { tokens.refresh(&id).await.map(drop) }
    });
    // The renewal asks while that refresh holds the installation.
    for _ in 0..500 {
        if matches!(s.tokens.status(&id), Status::Refreshing) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(matches!(s.tokens.status(&id), Status::Refreshing), "the first refresh is under way");
    s.tokens.renew_with(&id, &Secret::new(NEXT_SECRET)).await.expect("renewed with the next secret");
    refresh.await.unwrap().expect("the ordinary refresh");
    // The old secret goes and the entry gets the next one: only tokens it minted still refresh.
    fake.with(|w| {
        let app = &mut w.legacy_apps[0];
        app.client_secret = NEXT_SECRET.into();
        app.overlapping_secret = None;
        w.token_latency = std::time::Duration::ZERO;
    });
    paste_secret(&s, &fake).await;
    s.tokens.refresh(&id).await.expect("the installation's tokens were minted with the next secret");
}

#[tokio::test]
async fn a_secret_microsoft_refuses_changes_nothing() {
    let (fake, s, store, _dir) = setup_with_store().await;
    share_demo_app(&s, &fake).await;
    let id = sign_in(&s, &shared_install()).await;
    let before = store.get(ACCOUNT).unwrap().unwrap().expose().to_string();
    let err = s.rotation.rotate("azure-devops", Secret::new("not-the-new-secret"), None).await.unwrap_err();
    let connector_core::Error::Fields(fields) = &err else { panic!("{err:?}") };
    assert_eq!(fields[0].field, "next_client_secret");
    assert!(fields[0].message.contains("Microsoft refused this secret"), "{}", fields[0].message);
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), before, "the old secret stays");
    assert!(matches!(s.tokens.status(&id), Status::Connected), "{:?}", s.tokens.status(&id));
    s.tokens.refresh(&id).await.expect("the installation's tokens are as they were");
}

#[tokio::test]
async fn an_installation_that_must_sign_in_again_is_named_and_the_old_secret_kept() {
    let (fake, s, _dir) = setup().await;
    share_demo_app(&s, &fake).await;
    let stale = sign_in(&s, &shared_install()).await;
    fake.with(|w| w.revoke_all_refresh_tokens());
    let live = sign_in(&s, &second_project()).await;
    add_next_secret(&fake);
    let outcome = s.rotation.rotate("azure-devops", Secret::new(NEXT_SECRET), None).await.unwrap();
    assert_eq!((outcome.renewed, outcome.total, outcome.old_secret_may_go), (1, 2, false), "{}", outcome.message);
    assert_eq!(outcome.not_renewed.len(), 1);
    assert_eq!((outcome.not_renewed[0].installation.as_str(), outcome.not_renewed[0].label.as_str()), (stale.as_str(), "contoso/Website"));
    assert!(outcome.message.contains("Keep the old secret"), "{}", outcome.message);
    assert!(matches!(s.tokens.status(&live), Status::Connected));
}

/// After a refusal, the notice names every installation signed in with the dead secret, and
/// each leaves it as it signs in again: told apart by who signed in, not by the clock, so a
/// save in the same second as a sign-in (as a fast machine does) changes nothing.
#[tokio::test]
async fn the_expired_secret_notice_lists_who_must_sign_in_again_and_each_leaves_it() {
    let (fake, s, _dir) = setup().await;
    share_demo_app(&s, &fake).await;
    let ids = [sign_in(&s, &shared_install()).await, sign_in(&s, &second_project()).await];
    fake.with(|w| w.legacy_apps[0].secret_expired = true);
    assert_eq!(s.tokens.refresh(&ids[0]).await.unwrap_err().code(), "legacy_secret_rejected");
    let listed = |s: &Services| -> Vec<(bool, Vec<InstallationId>)> {
        let notices = s.installations.secret_expired();
        notices.into_iter().map(|n| (n.new_secret_saved, n.installations.into_iter().map(|i| i.installation.id).collect())).collect()
    };
    assert_eq!(listed(&s), vec![(false, ids.to_vec())], "both, and no new secret yet");
    // The owner generates a new secret and the admin saves it at once: both still must sign in again.
    fake.with(|w| {
        w.legacy_apps[0].client_secret = NEXT_SECRET.into();
        w.legacy_apps[0].secret_expired = false;
    });
    paste_secret(&s, &fake).await;
    assert_eq!(listed(&s), vec![(true, ids.to_vec())]);
    let again = InstallInput { reauth: Some(ids[0].clone()), ..shared_install() };
    sign_in(&s, &again).await;
    assert_eq!(listed(&s), vec![(true, vec![ids[1].clone()])], "the first signed in again");
    let again = InstallInput { reauth: Some(ids[1].clone()), ..second_project() };
    sign_in(&s, &again).await;
    assert!(listed(&s).is_empty(), "nobody is left to sign in again");
}
