//! The Move to Entra ID guide against the fake: generated from a legacy Library entry
//! (with the tenant of each organization that uses it) or an own legacy installation,
//! and refused for anything that is not legacy.

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::services::migration::{Audience, LegacyApp};
use connector_core::{Error, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app, shared_install, sign_in, MemoryStore};

async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store));
    (fake, services, dir)
}

#[tokio::test]
async fn a_legacy_library_entry_gets_its_scopes_as_entra_permissions_and_its_organizations_tenant() {
    let (fake, services, _dir) = setup().await;
    share_demo_app(&services, &fake).await;
    sign_in(&services, &shared_install()).await;
    let g = services.migration.guide(&LegacyApp::Library { connector: "azure-devops".into() }).await.unwrap();
    let labels: Vec<&str> = g.scopes.permissions.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["Azure DevOps: vso.project", "Azure DevOps: vso.work_full"]);
    assert_eq!((g.redirect_uri, g.platform), ("http://localhost", "Mobile and desktop applications"));
    let tenant = fake.with(|w| w.organizations.iter().find(|o| o.name == "contoso").unwrap().tenant_id.clone());
    assert_eq!(g.tenants.len(), 1);
    assert_eq!((g.tenants[0].organization.as_str(), g.tenants[0].tenant.as_deref()), ("contoso", Some(tenant.as_str())));
    assert_eq!(g.audience, Audience::SingleTenant);
    assert!(g.registration_url.starts_with("https://entra.microsoft.com/"), "{}", g.registration_url);
    assert_eq!(g.legacy_client_id, fake.with(|w| w.legacy_apps[0].app_id.clone()));
}

#[tokio::test]
async fn a_legacy_entry_nobody_installed_yet_has_no_tenant_to_name() {
    let (fake, services, _dir) = setup().await;
    share_demo_app(&services, &fake).await;
    let g = services.migration.guide(&LegacyApp::Library { connector: "azure-devops".into() }).await.unwrap();
    assert!(g.tenants.is_empty());
    assert_eq!(g.audience, Audience::Unknown);
}

#[tokio::test]
async fn only_legacy_apps_get_a_guide() {
    let (fake, services, _dir) = setup().await;
    let none = services.migration.guide(&LegacyApp::Library { connector: "azure-devops".into() }).await;
    assert!(matches!(none, Err(Error::NotFound(_))), "{none:?}");
    share_demo_app(&services, &fake).await;
    let id = sign_in(&services, &shared_install()).await;
    // A shared-app installation moves with the Library entry, not on its own.
    let shared = services.migration.guide(&LegacyApp::Installation { id }).await;
    assert!(matches!(shared, Err(Error::NotFound(_))), "{shared:?}");
    let unknown = services.migration.guide(&LegacyApp::Installation { id: "nope".into() }).await;
    assert!(unknown.is_err());
}
