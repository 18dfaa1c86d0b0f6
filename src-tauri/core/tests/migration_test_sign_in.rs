//! The admin's test sign-in with the Entra app prepared beside a legacy Library entry,
//! before the switch, against the fake: the real sign-in (browser, tenant discovery, code
//! exchange, ready check) that installs nothing, keeps no token, switches nothing, and is
//! remembered for the move until the prepared entry changes; a prepared app asking for a
//! permission its registration lacks fails with Microsoft's scope error and its fix.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::library_entry::EntryInput;
use connector_core::model::test_sign_in::TestSignInInput;
use connector_core::services::migration::EntraEntryInput;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore, Port, ScriptedWindows, User};

struct Setup {
    fake: FakeMicrosoft,
    services: Services,
    store: Arc<MemoryStore>,
    _dir: tempfile::TempDir,
}

/// The demo legacy app shared, one installation signed in with it, and the fake's Entra
/// app prepared beside it with `scopes`.
async fn moving(scopes: &str) -> Setup {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    share_demo_app(&services, &fake).await;
    sign_in(&services, &shared_install()).await;
    let entra_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".to_string(), entra_id), ("scopes".to_string(), scopes.to_string())]);
    services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values }).unwrap();
    Setup { fake, services, store, _dir: dir }
}

fn contoso_website() -> TestSignInInput {
    TestSignInInput { connector: "azure-devops".into(), organization: "contoso".into(), project: "Website".into() }
}

fn keychain(store: &MemoryStore) -> HashMap<String, String> {
    store.0.lock().unwrap().clone()
}

#[tokio::test]
async fn a_test_sign_in_with_the_prepared_app_works_and_leaves_no_installation_no_token_and_no_switch() {
    let s = moving("vso.work_full vso.project").await;
    let (installations, keys) = (s.services.installations.page(&Default::default()).total, keychain(&s.store));
    let browser = ScriptedWindows::new(User::Consents("accept"));
    let t = s.services.sign_in.test_prepared(&contoso_website(), &Port(browser.clone())).await.unwrap();

    // The real sign-in: Microsoft's authorize page for the prepared app, through the organization's tenant.
    let (entra_id, tenant, user) = s.fake.with(|w| {
        let org = w.organizations.iter().find(|o| o.name == "contoso").unwrap();
        (w.entra_apps[0].client_id.clone(), org.tenant_id.clone(), w.users[0].display_name.clone())
    });
    let opened = browser.browser_urls.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "one browser sign-in: {opened:?}");
    assert!(opened[0].contains(&format!("/{tenant}/oauth2/v2.0/authorize")) && opened[0].contains(&entra_id), "{}", opened[0]);
    assert_eq!((t.user.as_str(), t.organization.as_str(), t.project.as_str()), (user.as_str(), "contoso", "Website"));
    assert_eq!((t.client_id.as_str(), t.tenant.as_str()), (entra_id.as_str(), tenant.as_str()));

    // Nothing installed, nothing written to the keychain, nothing switched.
    assert_eq!(s.services.installations.page(&Default::default()).total, installations);
    assert_eq!(keychain(&s.store), keys, "the keychain changed: a token was kept");
    let view = &s.services.library.list()[0];
    assert_eq!(view.entry().unwrap().auth_type.as_str(), "legacy", "the test switched the entry");
    assert_eq!(view.test_sign_in.as_ref(), Some(&t), "the move shows the test that worked");

    // The prepared app saved again is untested.
    let values = BTreeMap::from([("client_id".to_string(), entra_id), ("scopes".to_string(), "vso.work_full".to_string())]);
    s.services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values }).unwrap();
    assert!(s.services.library.list()[0].test_sign_in.is_none());
}

#[tokio::test]
async fn a_prepared_app_whose_registration_lists_no_azure_devops_permission_fails_with_the_fix() {
    // An extra delegated scope is consented dynamically; a registration without Azure DevOps under
    // its API permissions is refused (AADSTS650057).
    let s = moving("vso.work_full").await;
    s.fake.with(|w| w.entra_apps[0].permissions.clear());
    let keys = keychain(&s.store);
    let e = s.services.sign_in.test_prepared(&contoso_website(), &Port(ScriptedWindows::new(User::Consents("accept")))).await.unwrap_err();
    assert_eq!(e.code(), "permission_not_configured", "{e:?}");
    assert!(e.to_string().contains("AADSTS650057"), "{e}");
    assert!(e.hint().contains("API permissions"), "{}", e.hint());
    assert_eq!(keychain(&s.store), keys);
    assert!(s.services.library.list()[0].test_sign_in.is_none(), "a failed test is not remembered as one that worked");
    // The sign-in ended: the next one may start.
    let t = s.services.sign_in.test_prepared(&contoso_website(), &Port(ScriptedWindows::new(User::Consents("accept")))).await;
    assert_eq!(t.unwrap_err().code(), "permission_not_configured");
}

#[tokio::test]
async fn there_is_nothing_to_test_without_a_prepared_entra_app_or_after_the_switch() {
    let s = moving("vso.work_full vso.project").await;
    s.services.migration.switch("azure-devops").unwrap();
    let e = s.services.sign_in.test_prepared(&contoso_website(), &Port(ScriptedWindows::new(User::Consents("accept")))).await.unwrap_err();
    assert_eq!(e.code(), "not_found", "{e:?}");
}

/// Nor once the entry in force is no longer legacy: an admin who saved an Entra app in the
/// Library itself, instead of switching, has no app prepared beside legacy left to test.
#[tokio::test]
async fn nor_once_an_entra_entry_is_saved_in_force() {
    let s = moving("vso.work_full vso.project").await;
    let entra_id = s.fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".to_string(), entra_id), ("scopes".to_string(), "vso.work_full vso.project".to_string())]);
    let entry = EntryInput { connector: "azure-devops".into(), auth_type: "entra".into(), values, secret: None };
    s.services.library.save(entry).await.unwrap();
    let e = s.services.sign_in.test_prepared(&contoso_website(), &Port(ScriptedWindows::new(User::Consents("accept")))).await.unwrap_err();
    assert_eq!(e.code(), "not_found", "{e:?}");
}
