//! The settings store: `update` is the only write path, and it loses nothing
//! when many tasks write at once; version 1 files load and save unchanged.

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::ids::{ClientId, InstallationId, TenantId};
use connector_core::model::registration::AuthKind;
use connector_core::store::settings::SettingsStore;
use connector_core::Services;
use support::opener;

/// A Client ID for the `n`th app a test makes up.
fn app(n: u64) -> ClientId {
    ClientId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_updates_from_many_tasks_lose_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SettingsStore::open(dir.path()).0);
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..200 {
        let store = store.clone();
        tasks.spawn(async move {
            // Alternate kinds of change, as sign-ins, refreshes and the timeout setting do.
            store
                .update(|s| {
                    s.known_registrations.insert(app(n), "vso.work".into());
                    if n % 7 == 0 {
                        s.sign_in_timeout_secs = 60 * (1 + n % 60);
                    }
                    Ok(())
                })
                .unwrap();
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    assert_eq!(store.get().known_registrations.len(), 200, "in memory");
    let reread = SettingsStore::open(dir.path()).0;
    assert_eq!(reread.get().known_registrations.len(), 200, "on disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changing_the_timeout_while_sign_ins_store_installations_drops_neither() {
    // The bug this replaced: a settings change that skipped the write lock
    // could overwrite an installation stored at the same moment.
    let dir = tempfile::tempdir().unwrap();
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(Arc::default())));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..100u64 {
        let s = services.clone();
        tasks.spawn(async move { s.sign_in.set_timeout(1 + n % 60).unwrap() });
        let s = services.clone();
        tasks.spawn(async move { s.sign_in.set_entra_embedded(n % 2 == 0).unwrap() });
        let s = services.clone();
        tasks.spawn(async move {
            s.state
                .settings
                .update(|x| {
                    x.known_registrations.insert(app(n), "vso.work".into());
                    Ok(())
                })
                .unwrap()
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let reread = SettingsStore::open(dir.path()).0;
    assert_eq!(reread.get().known_registrations.len(), 100);
}

#[test]
fn a_version_1_file_written_by_the_previous_code_loads_and_saves_unchanged_but_for_an_old_reauth_reason() {
    // tests/fixtures/settings-v1.json was written by SettingsFile::save before the
    // services split: string auth types, an own app, Needs re-auth, both settings.
    // One change is meant: that build stored the Needs re-auth reason with the error's
    // opening in front, and the reason alone is kept (model/installation.rs, reason_only).
    let original = include_bytes!("fixtures/settings-v1.json");
    let expected = String::from_utf8(original.to_vec())
        .unwrap()
        .replace("\"Microsoft no longer accepts this sign-in: invalid_grant\"", "\"invalid_grant\"");
    assert_ne!(expected.as_bytes(), original, "the fixture holds an earlier build's reason");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), original).unwrap();
    let (store, notices) = SettingsStore::open(dir.path());
    assert!(notices.is_empty(), "{notices:?}");
    let s = store.get();
    assert_eq!(s.library["azure-devops"].auth_type, AuthKind::Legacy);
    assert_eq!(s.installations[1].auth_type, AuthKind::Entra);
    assert_eq!(s.sign_in_timeout_secs, 900);
    store.update(|_| Ok(())).unwrap();
    assert_eq!(
        String::from_utf8(std::fs::read(dir.path().join("settings.json")).unwrap()).unwrap(),
        expected,
        "saved unchanged but for the reason"
    );
}

#[test]
fn a_scope_outside_the_catalog_still_loads_keeps_the_known_scopes_working_and_is_saved_back() {
    // Microsoft may report a scope the catalog doesn't know yet; the file must stay readable.
    let original = include_str!("fixtures/settings-v1.json");
    let (head, installations) = original.split_once("\"installations\"").expect("the fixture's installations");
    let scopes = installations.split("\"scopes\": \"").nth(1).and_then(|rest| rest.split('"').next()).expect("the first one's scopes");
    let installations = installations.replacen(&format!("\"scopes\": \"{scopes}\""), &format!("\"scopes\": \"{scopes} vso.brand_new\""), 1);
    let with_unknown = format!("{head}\"installations\"{installations}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), &with_unknown).unwrap();
    let (store, notices) = SettingsStore::open(dir.path());
    assert!(notices.is_empty(), "{notices:?}");
    let i = store.get().installations[0].clone();
    assert_eq!(i.scopes.unknown(), ["vso.brand_new"]);
    assert_eq!(i.scopes.known().to_string(), scopes, "the known scopes are still granted");
    let view = connector_core::services::installations::InstallationView::new(&i, connector_core::services::tokens::Status::Connected);
    assert!(!view.methods_available.is_empty(), "the known scopes still allow their methods");
    store.update(|_| Ok(())).unwrap();
    let saved = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(saved.contains(&format!("\"{scopes} vso.brand_new\"")), "kept as Microsoft reported it: {saved}");
}

#[test]
fn a_known_registration_with_a_scope_outside_the_catalog_still_loads_and_is_saved_back() {
    let registered = "\"vso.project vso.work_full\"";
    let original = include_str!("fixtures/settings-v1.json");
    assert!(original.contains(registered), "the fixture's known registration");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), original.replace(registered, "\"vso.project vso.work_full vso.brand_new\"")).unwrap();
    let (store, notices) = SettingsStore::open(dir.path());
    assert!(notices.is_empty(), "{notices:?}");
    let known = store.get().known_registrations[&ClientId::parse("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f").unwrap()].clone();
    assert_eq!((known.known().to_string().as_str(), known.unknown()), ("vso.project vso.work_full", &["vso.brand_new".to_string()][..]));
    store.update(|_| Ok(())).unwrap();
    let saved = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(saved.contains("\"vso.project vso.work_full vso.brand_new\""), "kept as Microsoft reported it: {saved}");
}

#[test]
fn client_ids_and_tenants_load_and_save_byte_for_byte() {
    // tests/fixtures/settings-ids.json was written by SettingsFile::save before Client IDs and
    // tenants had types of their own, with each place the file keeps one: a known
    // registration, a learned audience (home, signed in, refused in), a test sign-in and an
    // installation's tenant. They are written as the text itself, so nothing changes.
    let original = include_str!("fixtures/settings-ids.json");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), original).unwrap();
    let (store, notices) = SettingsStore::open(dir.path());
    assert!(notices.is_empty(), "{notices:?}");
    let s = store.get();
    let prepared = ClientId::parse("0d9c7b1a-3e5f-4a6b-8c7d-9e0f1a2b3c4d").unwrap();
    assert_eq!(s.test_sign_ins["azure-devops"].client_id, prepared);
    assert!(s.learned_audiences[&prepared].home().is_some(), "{:?}", s.learned_audiences);
    let tenant = TenantId::parse("72f988bf-86f1-41af-91ab-2d7cd011db47").unwrap();
    assert_eq!((s.installations[1].tenant.as_ref(), &s.test_sign_ins["azure-devops"].tenant), (Some(&tenant), &tenant));
    assert!(s.known_registrations.contains_key(&ClientId::parse("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f").unwrap()));
    store.update(|_| Ok(())).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("settings.json")).unwrap(), original, "saved byte for byte");
}

#[test]
fn installation_ids_load_and_save_byte_for_byte() {
    // tests/fixtures/settings-installation-ids.json is laid out as SettingsFile::save wrote
    // settings before installation ids had a type of their own, with each place the file keeps
    // one: the installations, when each was last notified about, and who must sign in again
    // after a shared secret expired. One id, from a hand-edited file, is no id this app
    // makes: it is read back as written, never refused.
    let original = include_str!("fixtures/settings-installation-ids.json");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("settings.json"), original).unwrap();
    let (store, notices) = SettingsStore::open(dir.path());
    assert!(notices.is_empty(), "{notices:?}");
    let s = store.get();
    let ids: Vec<&str> = s.installations.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["k3x9q2m7p4ta", "c1f2e3d4-0000-4000-8000-000000000003", "imported_1"]);
    assert!(InstallationId::parse("imported_1").is_err(), "not id-shaped, and loaded all the same");
    let website = InstallationId::parse("k3x9q2m7p4ta").unwrap();
    assert_eq!(s.installation(&website).map(|i| i.project.as_str()), Some("Website"));
    assert_eq!(s.notified_at[&website], 1764232000);
    let waiting = s.expired_secrets["azure-devops"].to_sign_in_again.as_ref().unwrap();
    assert!(waiting.contains(&website) && waiting.len() == 2, "{waiting:?}");
    store.update(|_| Ok(())).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("settings.json")).unwrap(), original, "saved byte for byte");
}
