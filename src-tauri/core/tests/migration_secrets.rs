//! A move to Entra ID keeps the two Library entries' Client Secrets apart: each kind of
//! entry has its own keychain account, so an Entra secret saved during the move never
//! replaces the legacy one that legacy installations still send, and removing the legacy
//! app never deletes a secret the Entra entry claims.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::library_entry::EntryInput;
use connector_core::services::migration::EntraEntryInput;
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

const LEGACY: &str = "library/azure-devops/client-secret";
const ENTRA: &str = "library/azure-devops/entra/client-secret";

fn entra_values(fake: &FakeMicrosoft) -> BTreeMap<String, String> {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    BTreeMap::from([("client_id".to_string(), client_id), ("scopes".to_string(), "vso.work_full vso.project".to_string())])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entra_secret_saved_during_a_move_leaves_the_legacy_secret_to_legacy_installations() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    let legacy_secret = fake.with(|w| w.legacy_apps[0].client_secret.clone());
    share_demo_app(&services, &fake).await;
    // Access tokens that live 1 s: the next use after the switch is a refresh with the legacy app.
    fake.with(|w| w.lifetimes.access_token = Duration::from_secs(1));
    let legacy_install = sign_in(&services, &shared_install()).await;
    services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values: entra_values(&fake) }).unwrap();
    services.migration.switch("azure-devops").unwrap();

    // The admin makes the Entra entry in force a confidential client: its secret goes to its own account.
    services
        .library
        .save(EntryInput {
            connector: "azure-devops".into(),
            auth_type: "entra".into(),
            values: entra_values(&fake),
            secret: Some(Secret::new("entra-app-secret")),
        })
        .await
        .unwrap();
    assert_eq!(store.get_raw(LEGACY).as_deref(), Some(legacy_secret.as_str()), "the legacy secret stays: {:?}", store.accounts());
    assert_eq!(store.get_raw(ENTRA).as_deref(), Some("entra-app-secret"));

    // The legacy installation refreshes with the legacy secret (the fake refuses any other).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let requests = fake.token_requests();
    services.tokens.access_token(&legacy_install).await.expect("the legacy installation still refreshes");
    assert_eq!(fake.token_requests(), requests + 1, "it did refresh");

    // Once nothing uses legacy, removing the legacy app takes its secret only.
    services.installations.uninstall(&legacy_install).await.unwrap();
    services.migration.finish("azure-devops").await.unwrap();
    assert_eq!(store.get_raw(LEGACY), None, "the legacy secret went");
    assert_eq!(store.get_raw(ENTRA).as_deref(), Some("entra-app-secret"), "the Entra entry keeps its own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entra_secret_an_earlier_build_kept_in_the_shared_account_moves_to_its_own() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    // The Entra app as a confidential client: the fake refuses a sign-in without its secret.
    fake.with(|w| w.entra_apps[0].client_secret = Some("entra-app-secret".into()));
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    let input = EntryInput {
        connector: "azure-devops".into(),
        auth_type: "entra".into(),
        values: entra_values(&fake),
        secret: Some(Secret::new("entra-app-secret")),
    };
    services.library.save(input).await.unwrap();
    // What an earlier build left: the Entra entry's secret in the one account all entries shared.
    let value = store.get_raw(ENTRA).unwrap();
    store.0.lock().unwrap().remove(ENTRA);
    store.0.lock().unwrap().insert(LEGACY.into(), value);

    sign_in(&services, &shared_install()).await;
    assert_eq!(store.get_raw(ENTRA).as_deref(), Some("entra-app-secret"), "found and moved: {:?}", store.accounts());
    assert_eq!(store.get_raw(LEGACY), None);

    services.library.clear("azure-devops").await.unwrap();
    assert!(!store.accounts().iter().any(|a| a.starts_with("library/")), "clearing takes it: {:?}", store.accounts());
}
