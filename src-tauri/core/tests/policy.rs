//! Fleet provisioning: a policy file's entry is managed and read-only (the
//! core refuses edits, not only the UI), a managed legacy entry takes its
//! Client Secret once per machine and signs in, and a broken file is ignored
//! with a notice.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::library_entry::EntryInput;
use connector_core::notice::NoticeCode;
use connector_core::services::library::Mode;
use connector_core::services::migration::LegacyApp;
use connector_core::store::keychain::SecretStore;
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, shared_install, sign_in, stopped_before_the_window, MemoryStore};

fn services(dir: &std::path::Path, policy: &str, endpoints: Endpoints, store: Arc<MemoryStore>) -> Services {
    let path = dir.join("policy.json");
    std::fs::write(&path, policy).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    Services::with_policy(dir.join("data"), endpoints, opener(store), &path)
}

fn legacy_policy(app_id: &str) -> String {
    format!(
        r#"{{ "version": 1, "connectors": {{ "azure-devops": {{ "auth_type": "legacy", "client_id": "{app_id}",
            "scopes": "vso.work_full vso.project", "service_domain": "app-h.cyclr.com" }} }} }}"#
    )
}

#[tokio::test]
async fn a_managed_entry_is_read_only_in_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let s = services(dir.path(), &legacy_policy("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f"), Endpoints::microsoft(), store.clone());
    let view = s.library.list().remove(0);
    assert!(matches!(view.mode, Mode::Managed { .. }));
    assert!(!view.entry().unwrap().has_secret, "the secret is entered per machine");
    assert_eq!(view.redirect_uri.as_deref(), Some("https://app-h.cyclr.com/connector/callback"));
    let edit = EntryInput { connector: "azure-devops".into(), auth_type: "entra".into(), values: BTreeMap::new(), secret: None };
    assert_eq!(s.library.save(edit).await.unwrap_err().code(), "managed_by_policy");
    assert_eq!(s.library.clear("azure-devops").await.unwrap_err().code(), "managed_by_policy");
    assert!(store.accounts().is_empty() && !dir.path().join("data/settings.json").exists(), "nothing written");
}

#[tokio::test]
async fn a_managed_legacy_entry_takes_its_secret_once_and_signs_in() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (app_id, secret) = fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone()));
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let endpoints = || Endpoints::under(fake.base_url()).unwrap();
    let s = services(dir.path(), &legacy_policy(&app_id), endpoints(), store.clone());
    assert_eq!(stopped_before_the_window(&s, &shared_install()).await.code(), "secret_missing", "asks for the secret first");
    let view = s.library.save_managed_secret("azure-devops", Secret::new(secret.clone())).await.unwrap();
    assert!(view.entry().unwrap().has_secret);
    assert_eq!(store.get("managed/azure-devops/client-secret").unwrap().unwrap().expose(), secret);
    assert_eq!(store.accounts(), ["managed/azure-devops/client-secret"], "its own account, not the library's");
    let id = sign_in(&s, &shared_install()).await;
    assert_eq!(s.installations.get(&id).unwrap().organization, "contoso");
    // A restart on the same machine still has it.
    let again = services(dir.path(), &legacy_policy(&app_id), endpoints(), store);
    assert!(again.library.list()[0].entry().unwrap().has_secret);
}

/// Broken: one keychain account for both. A local entry's secret (another app's) was
/// sent as the managed app's, and saving the managed one overwrote the local one.
#[tokio::test]
async fn a_local_entrys_secret_never_stands_in_for_the_managed_apps() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app_id = fake.with(|w| w.legacy_apps[0].app_id.clone());
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let endpoints = || Endpoints::under(fake.base_url()).unwrap();
    let local = Services::with_store_opener(dir.path().join("data"), endpoints(), opener(store.clone()));
    support::share_demo_app(&local, &fake).await;
    drop(local);
    let s = services(dir.path(), &legacy_policy(&app_id), endpoints(), store.clone());
    assert_eq!(stopped_before_the_window(&s, &shared_install()).await.code(), "secret_missing");
    s.library.save_managed_secret("azure-devops", Secret::new(String::from("the-managed-secret"))).await.unwrap();
    assert!(store.get("library/azure-devops/client-secret").unwrap().is_some(), "the local entry keeps its own");
}

/// Earlier builds kept a managed secret under the library's account: it moves, once.
#[tokio::test]
async fn a_managed_secret_saved_by_an_earlier_build_moves_to_its_own_account() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (app_id, secret) = fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone()));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/settings.json"), r#"{"version": 1, "managed_secrets": ["azure-devops"]}"#).unwrap();
    let store = Arc::new(MemoryStore::default());
    store.set("library/azure-devops/client-secret", &Secret::new(secret.clone())).unwrap();
    let s = services(dir.path(), &legacy_policy(&app_id), Endpoints::under(fake.base_url()).unwrap(), store.clone());
    let id = sign_in(&s, &shared_install()).await;
    assert_eq!(s.installations.get(&id).unwrap().organization, "contoso");
    assert_eq!(store.get("managed/azure-devops/client-secret").unwrap().unwrap().expose(), secret);
    assert!(store.get("library/azure-devops/client-secret").unwrap().is_none(), "moved, not copied");
}

#[tokio::test]
async fn a_broken_or_secret_bearing_policy_is_ignored_with_a_notice() {
    for (policy, says) in [
        ("{ not json", "not a valid policy file"),
        (
            r#"{ "version": 1, "connectors": { "azure-devops": { "auth_type": "entra", "client_id": "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f",
                "tenant_id": "organizations", "scopes": "vso.work_full", "client_secret": "hunter2" } } }"#,
            "looks like a secret",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let s = services(dir.path(), policy, Endpoints::microsoft(), Arc::default());
        let notice = s.state.notices().iter().find(|n| n.code == NoticeCode::PolicyIgnored).expect("a notice");
        assert!(notice.message.contains(says), "{}", notice.message);
        assert!(matches!(s.library.list()[0].mode, Mode::BringYourOwn { .. }), "nothing applied");
    }
}

/// Only a file a user can't rewrite counts: writable by its group or others, a symbolic link, or
/// too large to be a policy, it is ignored with a notice that says why.
#[cfg(unix)]
#[test]
fn an_untrusted_policy_file_is_ignored_and_says_why() {
    use connector_core::store::policy::Policy;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let good = legacy_policy("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f");
    let path = dir.path().join("policy.json");
    std::fs::write(&path, &good).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(Policy::load(&path).0.entries.len(), 1, "a 0644 file is read");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (p, notice) = Policy::load(&path);
    assert!(p.entries.is_empty() && notice.unwrap().message.contains("other users can write it"));
    // Group-writable is not trusted either: the group's other members could rewrite it.
    for mode in [0o620, 0o660, 0o664, 0o670] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let (p, notice) = Policy::load(&path);
        assert!(p.entries.is_empty(), "mode {mode:o} trusted");
        assert!(notice.unwrap().message.contains("other users can write it"), "mode {mode:o}");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let (p, notice) = Policy::load(&link);
    assert!(p.entries.is_empty() && notice.unwrap().message.contains("symbolic link"));
    let big = dir.path().join("big.json");
    std::fs::write(&big, format!("{}{}", good, " ".repeat(70 * 1024))).unwrap();
    let (p, notice) = Policy::load(&big);
    assert!(p.entries.is_empty() && notice.unwrap().message.contains("larger than 64 KiB"));
}

/// A secret-named key is refused in any spelling.
#[test]
fn secret_keys_are_refused_in_any_case() {
    let base = legacy_policy("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f");
    for key in ["Client_Secret", "ClientSecret", "CLIENT_SECRET", "client_secret"] {
        let text = base.replace(r#""scopes""#, &format!(r#""{key}": "x", "scopes""#));
        let err = connector_core::store::policy::Policy::parse(&text).unwrap_err();
        assert!(err.contains("looks like a secret"), "{key}: {err}");
    }
}

/// The legacy policy with a move to the fake's Entra app from `migrate_by`.
fn moving_policy(app_id: &str, entra_id: &str, migrate_by: &str) -> String {
    let legacy = legacy_policy(app_id);
    let migration = format!(
        r#", "migrations": {{ "azure-devops": {{ "migrate_by": "{migrate_by}",
            "entra": {{ "client_id": "{entra_id}", "scopes": "vso.work_full vso.project" }} }} }} }}"#
    );
    format!("{}{migration}", legacy.trim_end().trim_end_matches('}'))
}

/// A policy file deploys the move: before its date, legacy stays in force with the Entra
/// entry beside it; from the date, new installs use Entra, installations made on legacy
/// keep refreshing with the legacy app until re-authenticated, and then move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_moves_a_managed_entry_to_entra_from_its_date() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (app_id, secret, entra_id) =
        fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone(), w.entra_apps[0].client_id.clone()));
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let endpoints = || Endpoints::under(fake.base_url()).unwrap();

    let before = services(dir.path(), &moving_policy(&app_id, &entra_id, "2999-01-01"), endpoints(), store.clone());
    let view = before.library.list().remove(0);
    assert_eq!(view.entry().unwrap().auth_type.as_str(), "legacy", "legacy until the date");
    assert_eq!(view.alternate.as_ref().unwrap().values["client_id"], entra_id);
    assert_eq!(view.migrate_by.as_deref(), Some("2999-01-01"));
    before.library.save_managed_secret("azure-devops", Secret::new(secret)).await.unwrap();
    // Tokens that live 1 s: each use after the date is a refresh.
    fake.with(|w| w.lifetimes.access_token = std::time::Duration::from_secs(1));
    let id = sign_in(&before, &shared_install()).await;
    fake.with(|w| w.lifetimes.access_token = std::time::Duration::from_secs(3600));
    assert_eq!(before.migration.switch("azure-devops").unwrap_err().code(), "managed_by_policy", "IT switches, by the date");

    let due = services(dir.path(), &moving_policy(&app_id, &entra_id, "2026-01-01"), endpoints(), store.clone());
    let view = due.library.list().remove(0);
    assert_eq!(view.entry().unwrap().auth_type.as_str(), "entra", "Entra from the date");
    assert_eq!((view.shared_legacy, view.shared_entra), (1, 0));
    let preflight = due.sign_in.preflight(&support::shared_install()).await.unwrap();
    assert_eq!(preflight.auth_type.as_str(), "entra", "new installs use Entra");
    let requests = fake.token_requests();
    assert!(due.tokens.access_token(&id).await.is_ok(), "the legacy installation still refreshes with the legacy app");
    assert_eq!(fake.token_requests(), requests + 1, "a refresh");
    assert_eq!(due.installations.get(&id).unwrap().needs_reauth, None);
    let reauth = connector_core::model::installation::InstallInput { reauth: Some(id.clone()), ..shared_install() };
    let windows = support::Port(support::ScriptedWindows::new(support::User::Consents("accept")));
    let moved = due.sign_in.run(&reauth, &windows).await.unwrap().installation;
    assert_eq!((moved.id.as_str(), moved.auth_type.as_str()), (id.as_str(), "entra"));
}

#[test]
fn a_policy_migration_needs_a_legacy_entry_and_a_date() {
    let entra = "0d9c7b1a-3e5f-4a6b-8c7d-9e0f1a2b3c4d";
    let ok = moving_policy("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f", entra, "2026-12-31");
    let (_, moves) = connector_core::store::policy::Policy::parse_all(&ok).unwrap();
    assert_eq!(moves["azure-devops"].migrate_by, "2026-12-31");
    let bad_date = ok.replace("2026-12-31", "31/12/2026");
    assert!(connector_core::store::policy::Policy::parse_all(&bad_date).unwrap_err().contains("not a YYYY-MM-DD date"));
    let with_secret = ok.replace(r#""scopes": "vso.work_full vso.project" } }"#, r#""scopes": "vso.work_full", "client_secret": "x" } }"#);
    assert!(connector_core::store::policy::Policy::parse_all(&with_secret).unwrap_err().contains("looks like a secret"), "{with_secret}");
    let no_legacy = format!(
        r#"{{ "version": 1, "migrations": {{ "azure-devops": {{ "migrate_by": "2026-12-31", "entra": {{ "client_id": "{entra}" }} }} }} }}"#
    );
    assert!(connector_core::store::policy::Policy::parse_all(&no_legacy).unwrap_err().contains("no legacy entry"));
}

/// The registration guide leaves the move to IT only for the managed Library entry: a user's
/// own legacy app on the same machine is the user's to move, whatever the policy manages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_managed_entrys_guide_leaves_the_move_to_it() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app_id = fake.with(|w| w.legacy_apps[0].app_id.clone());
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let endpoints = || Endpoints::under(fake.base_url()).unwrap();
    // An own legacy installation, made before the policy file came.
    let before = Services::with_store_opener(dir.path().join("data"), endpoints(), opener(store.clone()));
    let id = sign_in(&before, &support::own_install(&fake, "legacy", None)).await;
    drop(before);

    let s = services(dir.path(), &legacy_policy(&app_id), endpoints(), store);
    let library = s.migration.guide(&LegacyApp::Library { connector: "azure-devops".into() }).await.unwrap();
    assert!(library.managed, "the managed entry: IT deploys the Entra one");
    let own = s.migration.guide(&LegacyApp::Installation { id }).await.unwrap();
    assert!(!own.managed, "the user's own app is not managed by the policy");
}
