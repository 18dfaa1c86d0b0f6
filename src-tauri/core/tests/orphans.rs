//! No secret is left behind or lost when a step fails part-way: clearing an
//! entry whose secret the keychain won't delete, and re-authenticating an own
//! app with new details when the settings file can't be written.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::{InstallInput, InstallationId, OwnApp};
use connector_core::store::keychain::{SecretStore, StoreOpener};
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{consent, share_demo_app, MemoryStore, NoDeletes};

#[tokio::test]
async fn a_clear_the_keychain_refuses_leaves_entry_and_secret_together() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(NoDeletes::default());
    let s2 = store.clone();
    let open: StoreOpener = Arc::new(move || Ok(s2.clone() as Arc<dyn SecretStore>));
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), open);
    share_demo_app(&s, &fake).await;
    store.refuse.store(true, Ordering::SeqCst);
    assert_eq!(s.library.clear("azure-devops").await.unwrap_err().code(), "keychain_unavailable");
    assert!(s.library.list()[0].entry().is_some_and(|e| e.has_secret), "the entry still points to its secret");
    assert!(store.get("library/azure-devops/client-secret").unwrap().is_some());
    store.refuse.store(false, Ordering::SeqCst);
    s.library.clear("azure-devops").await.unwrap();
    assert!(store.inner.accounts().is_empty(), "both gone once the keychain allows it");
}

fn own_install(app_id: &str, secret: &str, reauth: Option<InstallationId>) -> InstallInput {
    InstallInput {
        connector: "azure-devops".into(),
        organization: "contoso".into(),
        project: "Website".into(),
        own_app: Some(OwnApp {
            auth_type: "legacy".into(),
            values: BTreeMap::from([
                ("client_id".into(), app_id.into()),
                ("scopes".into(), "vso.work_full vso.project".into()),
                ("service_domain".into(), "app-h.cyclr.com".into()),
            ]),
            secret: Some(Secret::new(secret)),
        }),
        scopes_confirmed: true,
        reauth,
    }
}

#[tokio::test]
async fn a_failed_re_authentication_with_a_new_own_app_restores_the_previous_secret() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    // A second registration of the same app: another App ID and Client Secret.
    let (first, second) = fake.with(|w| {
        let mut b = w.legacy_apps[0].clone();
        b.app_id = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f".into();
        b.client_secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.second-app".into();
        w.legacy_apps.push(b.clone());
        (w.legacy_apps[0].clone(), b)
    });
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), support::opener(store.clone()));
    let id = support::sign_in(&s, &own_install(&first.app_id, &first.client_secret, None)).await;
    let account = format!("installation/{id}/client-secret");
    assert_eq!(store.get(&account).unwrap().unwrap().expose(), first.client_secret);
    // Re-authenticate with the second app while the settings file can't be written.
    let second = own_install(&second.app_id, &second.client_secret, Some(id.clone()));
    let data = dir.path();
    let failed = support::run_as_user(&s, &second, |authorize| async move {
        let cb = consent(&authorize, "accept").await;
        std::fs::remove_file(data.join("settings.json")).unwrap();
        std::fs::create_dir(data.join("settings.json")).unwrap();
        std::fs::write(data.join("settings.json/keep"), b"x").unwrap();
        Some(cb)
    })
    .await;
    assert_eq!(failed.unwrap_err().code(), "storage_failed");
    assert_eq!(store.get(&account).unwrap().unwrap().expose(), first.client_secret, "the previous own-app secret is back");
}
