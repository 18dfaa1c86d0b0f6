//! The Connector Library through the services: where each value ends up, and that a
//! failure part-way leaves nothing half-written.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::library_entry::EntryInput;
use connector_core::notice::NoticeCode;
use connector_core::store::keychain::SecretStore;
use connector_core::store::keychain::StoreOpener;
use connector_core::{Error, Secret, Services};
use support::{opener, MemoryStore};

const SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.the-client-secret";

fn legacy(secret: Option<&str>) -> EntryInput {
    EntryInput {
        connector: "azure-devops".into(),
        auth_type: "legacy".into(),
        values: BTreeMap::from([
            ("client_id".into(), "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f".into()),
            ("scopes".into(), "vso.work_full vso.project".into()),
            ("service_domain".into(), "app-h.cyclr.com".into()),
        ]),
        secret: secret.map(Secret::new),
    }
}

const ACCOUNT: &str = "library/azure-devops/client-secret";

#[tokio::test]
async fn secret_goes_to_the_keychain_and_the_rest_to_the_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    let saved = services.library.save(legacy(Some(SECRET))).await.unwrap();
    assert_eq!(saved.connector.redirect_uri.as_deref(), Some("https://app-h.cyclr.com/connector/callback"));
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), SECRET);
    let file = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(!file.contains("the-client-secret"), "{file}");
    assert!(file.contains("vso.project vso.work_full"));

    // A restart reads the entry back; a blank secret keeps the stored one.
    let again = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    let entry = again.library.list()[0].entry().cloned().unwrap();
    assert!(entry.has_secret);
    again.library.save(legacy(None)).await.unwrap();
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), SECRET);
}

#[tokio::test]
async fn invalid_input_saves_nothing_and_names_each_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    let mut bad = legacy(Some(SECRET));
    bad.values.insert("client_id".into(), "App ID here".into());
    let err = services.library.save(bad).await.unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(err.fields()[0].field, "client_id");
    assert!(!dir.path().join("settings.json").exists());
    assert!(store.get(ACCOUNT).unwrap().is_none());
}

#[tokio::test]
async fn a_failed_settings_write_puts_the_previous_secret_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    services.library.save(legacy(Some(SECRET))).await.unwrap();
    // Make the rename onto settings.json fail (root ignores permission bits, so use a directory).
    std::fs::remove_file(dir.path().join("settings.json")).unwrap();
    std::fs::create_dir(dir.path().join("settings.json")).unwrap();
    std::fs::write(dir.path().join("settings.json/keep"), b"x").unwrap();
    let err = services.library.save(legacy(Some("eyJhbGciOi.a-new-secret"))).await.unwrap_err();
    assert_eq!(err.code(), "storage_failed");
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), SECRET, "the keychain was rolled back");
    assert!(services.library.list()[0].entry().unwrap().has_secret, "in-memory state unchanged");
}

#[tokio::test]
async fn without_a_keychain_a_secret_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let unavailable: StoreOpener = Arc::new(|| {
        Err(Error::KeychainUnavailable {
            problem: connector_core::error::KeychainProblem::NoSecretService,
            detail: "ServiceUnknown".into(),
        })
    });
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), unavailable);
    let err = services.library.save(legacy(Some(SECRET))).await.unwrap_err();
    assert_eq!(err.code(), "keychain_unavailable");
    assert!(!dir.path().join("settings.json").exists());
}

#[tokio::test]
async fn clear_returns_to_bring_your_own_app_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    services.library.save(legacy(Some(SECRET))).await.unwrap();
    let view = services.library.clear("azure-devops").await.unwrap();
    assert!(view.entry().is_none());
    assert!(store.get(ACCOUNT).unwrap().is_none());
    services.library.clear("azure-devops").await.unwrap();
    // The window reads `mode` beside `entry`: bring your own app, and no entry.
    let json = serde_json::to_value(&services.library.list()[0]).unwrap();
    assert_eq!(json["mode"], "bring_your_own");
    assert_eq!(json.get("entry"), Some(&serde_json::Value::Null), "{json}");
}

#[tokio::test]
async fn a_newer_settings_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let newer = br#"{"version": 99, "library": {}}"#;
    std::fs::write(dir.path().join("settings.json"), newer).unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    assert!(services.state.notices().iter().any(|n| n.code == NoticeCode::SettingsTooNew));
    let err = services.library.save(legacy(Some(SECRET))).await.unwrap_err();
    assert_eq!(err.code(), "settings_too_new");
    assert_eq!(std::fs::read(dir.path().join("settings.json")).unwrap(), newer);
    assert!(store.get(ACCOUNT).unwrap().is_none());
}

#[tokio::test]
async fn a_corrupt_file_is_reported_and_the_app_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), b"\x00\x01 not json").unwrap();
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(Arc::default()));
    let notice = services.state.notices().iter().find(|n| n.code == NoticeCode::SettingsQuarantined).unwrap();
    assert!(notice.message.contains("settings.json.corrupt-"), "{}", notice.message);
    assert!(services.library.list()[0].entry().is_none());
    // Moved aside, the unusable file is safe: the empty settings are the app's to save.
    services.library.save(legacy(Some(SECRET))).await.unwrap();
    assert!(services.library.list()[0].entry().is_some());
}

#[tokio::test]
async fn export_then_import_round_trips_without_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(Arc::default()));
    services.library.save(legacy(Some(SECRET))).await.unwrap();
    let text = services.library.export("azure-devops").unwrap();
    assert!(!text.contains("the-client-secret"));
    let draft = services.library.import(&text).unwrap();
    assert_eq!(draft.auth_type, "legacy");
    assert!(draft.needs_secret);
    assert_eq!(services.library.import("garbage").unwrap_err().code(), "import_failed");

    let out = tempfile::tempdir().unwrap();
    let first = services.library.export_file("azure-devops", out.path()).unwrap();
    let second = services.library.export_file("azure-devops", out.path()).unwrap();
    assert_ne!(first, second, "an existing export is never overwritten");
    let saved = std::fs::read_to_string(&first).unwrap();
    assert!(!saved.contains("the-client-secret"));
    assert_eq!(services.library.import(&saved).unwrap().auth_type, "legacy");
}

/// Clear says which installations depend on the shared app, and they show Needs re-auth at once.
#[tokio::test]
async fn clear_stops_the_installations_using_the_shared_app_and_says_so_first() {
    let fake = fake_microsoft::FakeMicrosoft::start(fake_microsoft::World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let endpoints = Endpoints::under(fake.base_url()).unwrap();
    let s = Services::with_store_opener(dir.path(), endpoints, opener(store));
    support::share_demo_app(&s, &fake).await;
    let id = support::sign_in(&s, &support::shared_install()).await;
    assert_eq!(s.library.list()[0].installations_using, 1, "the Clear dialog can say what depends on it");
    s.library.clear("azure-devops").await.unwrap();
    let i = s.installations.get(&id).unwrap();
    assert!(i.needs_reauth.as_deref().is_some_and(|r| r.contains("removed from the Connector Library")), "{:?}", i.needs_reauth);
    assert!(matches!(s.tokens.status_of(&i), connector_core::services::tokens::Status::NeedsReauth { .. }));
}

/// An import (or edit) naming another app never keeps the old app's secret.
#[tokio::test]
async fn another_client_id_never_inherits_the_stored_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(store.clone()));
    services.library.save(legacy(Some(SECRET))).await.unwrap();
    let mut other = legacy(None);
    other.values.insert("client_id".into(), "11111111-2222-4333-8444-555555555555".into());
    let err = services.library.save(other).await.unwrap_err();
    assert!(err.fields().iter().any(|f| f.field == "client_secret"), "{:?}", err.fields());
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), SECRET, "nothing changed");
    let kept = services.library.list()[0].entry().cloned().unwrap();
    assert_eq!(kept.values["client_id"], "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f");
    // The same app, edited without a secret (its id in capitals), keeps it.
    let mut same = legacy(None);
    same.values.insert("client_id".into(), "4C6F5A0E-8F2A-4D4B-9F7E-1A2B3C4D5E6F".into());
    services.library.save(same).await.unwrap();
    assert_eq!(store.get(ACCOUNT).unwrap().unwrap().expose(), SECRET);
}
