//! Moving to Entra ID against the fake: the guide, generated from a legacy Library entry
//! (with the tenant of each organization that uses it) or an own legacy installation and
//! refused for anything that is not legacy; and an own legacy installation moved in place.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::ids::TenantId;
use connector_core::model::installation::{AppSource, InstallInput, InstallationId};
use connector_core::services::migration::{Audience, EntraEntryInput, LegacyApp};
use connector_core::{Error, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, own_install, share_demo_app, shared_install, sign_in, MemoryStore, Port, ScriptedWindows, User};

async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir) {
    let (fake, services, _store, dir) = setup_with_store().await;
    (fake, services, dir)
}

async fn setup_with_store() -> (FakeMicrosoft, Services, Arc<MemoryStore>, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    (fake, services, store, dir)
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
    assert_eq!(
        (g.tenants[0].organization.as_str(), g.tenants[0].tenant.as_ref().map(TenantId::as_str)),
        ("contoso", Some(tenant.as_str()))
    );
    // A shared app may serve organizations in any tenant later: multitenant, even with one tenant today.
    assert_eq!(g.audience, Audience::MultiTenant);
    assert!(g.audience_text.contains(&tenant), "{}", g.audience_text);
    assert!(g.registration_url.starts_with("https://entra.microsoft.com/"), "{}", g.registration_url);
    assert_eq!(g.legacy_client_id.as_str(), fake.with(|w| w.legacy_apps[0].app_id.clone()));
}

#[tokio::test]
async fn a_legacy_entry_nobody_installed_yet_has_no_tenant_to_name() {
    let (fake, services, _dir) = setup().await;
    share_demo_app(&services, &fake).await;
    let g = services.migration.guide(&LegacyApp::Library { connector: "azure-devops".into() }).await.unwrap();
    assert!(g.tenants.is_empty());
    assert_eq!(g.audience, Audience::MultiTenant, "a shared entry's users may be in any tenant");
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
    let unknown = services.migration.guide(&LegacyApp::Installation { id: InstallationId::parse("nope").unwrap() }).await;
    assert!(unknown.is_err());
}

/// An own legacy installation has a guide of its own, and stays out of the Library entry's:
/// the entry's guide names the tenants of the installations that move with it, the shared
/// legacy ones, and no other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_own_legacy_installation_has_its_own_guide_and_is_not_in_the_librarys() {
    let (fake, services, _dir) = setup().await;
    let own = sign_in(&services, &own_install(&fake, "legacy", None)).await;
    let entra = InstallInput { project: "Fabrikam Fiber".into(), ..own_install(&fake, "entra", None) };
    let own_entra = sign_in(&services, &entra).await;
    share_demo_app(&services, &fake).await;

    let library = services.migration.guide(&LegacyApp::Library { connector: "azure-devops".into() }).await.unwrap();
    assert!(library.tenants.is_empty(), "no shared installation yet: {:?}", library.tenants);

    let g = services.migration.guide(&LegacyApp::Installation { id: own }).await.unwrap();
    let tenant = fake.with(|w| w.organizations.iter().find(|o| o.name == "contoso").unwrap().tenant_id.clone());
    let tenants: Vec<_> = g.tenants.iter().map(|t| (t.organization.as_str(), t.tenant.as_ref().map(TenantId::as_str))).collect();
    assert_eq!(tenants, [("contoso", Some(tenant.as_str()))]);
    assert_eq!(g.legacy_client_id.as_str(), fake.with(|w| w.legacy_apps[0].app_id.clone()));
    assert!(!g.managed);

    let not_legacy = services.migration.guide(&LegacyApp::Installation { id: own_entra }).await;
    assert!(matches!(not_legacy, Err(Error::NotFound(_))), "an own Entra app has nothing to move: {not_legacy:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_own_legacy_installation_moves_to_entra_in_place_and_its_legacy_secret_goes() {
    let (fake, services, store, _dir) = setup_with_store().await;
    let id = sign_in(&services, &own_install(&fake, "legacy", None)).await;
    let before = services.installations.get(&id).unwrap();
    let secret_account = format!("installation/{id}/client-secret");
    assert!(store.accounts().contains(&secret_account), "{:?}", store.accounts());
    // A shared app set up since must not stand in for the user's new own app.
    share_demo_app(&services, &fake).await;

    // A move the user turns down on Microsoft's page changes nothing: legacy keeps working.
    let denied =
        services.sign_in.run(&own_install(&fake, "entra", Some(id.clone())), &Port(ScriptedWindows::new(User::Consents("deny")))).await;
    assert!(denied.is_err());
    let still = services.installations.get(&id).unwrap();
    assert_eq!((still.auth_type.as_str(), &still.own_app), ("legacy", &before.own_app));
    assert!(store.accounts().contains(&secret_account));
    assert!(services.tokens.access_token(&id).await.is_ok(), "the legacy connection still works");

    let moved = services
        .sign_in
        .run(&own_install(&fake, "entra", Some(id.clone())), &Port(ScriptedWindows::new(User::Consents("accept"))))
        .await
        .unwrap()
        .installation;
    assert_eq!(moved.id, id, "the same installation");
    assert_eq!(moved.auth_type.as_str(), "entra");
    let entra_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    assert_eq!((moved.source, moved.own_app.get("client_id")), (AppSource::Own, Some(&entra_id)), "signed in with the new own app");
    assert_eq!((moved.organization.as_str(), moved.project.as_str()), ("contoso", "Website"));
    assert_eq!((moved.created_at, &moved.user.email), (before.created_at, &before.user.email), "its history and identity");
    assert_eq!(services.installations.all().len(), 1);
    assert!(!store.accounts().contains(&secret_account), "the legacy Client Secret is gone: {:?}", store.accounts());
    assert!(services.tokens.access_token(&id).await.is_ok());
}

fn shared_install_of(project: &str, reauth: Option<InstallationId>) -> InstallInput {
    InstallInput { project: project.into(), reauth, ..shared_install() }
}

fn kind_of(services: &Services, id: &InstallationId) -> String {
    services.installations.get(id).unwrap().auth_type.as_str().to_string()
}

/// Three installations on the shared legacy app: two move after the switch, one fails
/// mid-way (the token endpoint answers 500) and keeps working on legacy; the legacy
/// entry can go only once none uses it, and then its Client Secret goes too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_legacy_entry_moves_beside_switches_and_ends_when_nothing_uses_legacy() {
    let (fake, services, store, _dir) = setup_with_store().await;
    fake.with(|w| {
        let contoso = w.organization_mut("contoso").unwrap();
        contoso.projects.push(fake_microsoft::Project {
            name: "Intranet".into(),
            id: "c1f2e3d4-0000-4000-8000-000000000003".into(),
            work_items: vec![],
        });
    });
    share_demo_app(&services, &fake).await;
    // Legacy tokens that live 1 s: each use after the switch is a refresh, with the legacy app kept beside.
    fake.with(|w| w.lifetimes.access_token = std::time::Duration::from_secs(1));
    let ids: Vec<InstallationId> = install_all(&services, &["Website", "Fabrikam Fiber", "Intranet"]).await;
    fake.with(|w| w.lifetimes.access_token = std::time::Duration::from_secs(3600));
    let entra_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let values =
        BTreeMap::from([("client_id".to_string(), entra_id.clone()), ("scopes".to_string(), "vso.work_full vso.project".to_string())]);
    services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values }).unwrap();

    // Beside, not instead: until the switch, everything is legacy as before.
    let view = &services.library.list()[0];
    assert_eq!(view.entry().unwrap().auth_type.as_str(), "legacy");
    assert_eq!(view.alternate.as_ref().unwrap().values["client_id"], entra_id);
    services.migration.switch("azure-devops").unwrap();
    assert_eq!(services.library.list()[0].entry().unwrap().auth_type.as_str(), "entra");

    let accept = || Port(ScriptedWindows::new(User::Consents("accept")));
    for id in &ids[..2] {
        let before = store.get_raw(&format!("installation/{id}/tokens"));
        let moved = services
            .sign_in
            .run(&shared_install_of(&services.installations.get(id).unwrap().project, Some(id.clone())), &accept())
            .await
            .unwrap();
        assert_eq!((moved.installation.id.as_str(), moved.installation.auth_type.as_str()), (id.as_str(), "entra"));
        assert_ne!(store.get_raw(&format!("installation/{id}/tokens")), before, "the legacy tokens were replaced");
    }
    fake.with(|w| w.token_faults.push_back(fake_microsoft::Fault::ServerError));
    let failed = services.sign_in.run(&shared_install_of("Intranet", Some(ids[2].clone())), &accept()).await;
    assert!(failed.is_err(), "the fake refused the third move");
    assert_eq!(kind_of(&services, &ids[2]), "legacy");
    let requests = fake.token_requests();
    assert!(services.tokens.access_token(&ids[2]).await.is_ok(), "the failed one still works on legacy");
    assert_eq!(fake.token_requests(), requests + 1, "refreshed, with the legacy app");
    assert_eq!(services.installations.get(&ids[2]).unwrap().needs_reauth, None);
    let view = &services.library.list()[0];
    assert_eq!((view.shared_entra, view.shared_legacy), (2, 1), "2 of 3 moved");

    // The legacy entry stays while anything uses it.
    let early = services.migration.finish("azure-devops").await.unwrap_err();
    assert_eq!(early.code(), "legacy_still_in_use");
    assert!(store.accounts().contains(&"library/azure-devops/client-secret".to_string()));
    services.installations.uninstall(&ids[2]).await.unwrap();
    services.migration.finish("azure-devops").await.unwrap();
    assert!(services.library.list()[0].alternate.is_none());
    assert!(!store.accounts().iter().any(|a| a.starts_with("library/")), "the legacy Client Secret went: {:?}", store.accounts());
    assert!(services.tokens.access_token(&ids[0]).await.is_ok(), "moved installations refresh with the Entra entry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_switch_goes_back_and_the_entra_entry_is_checked_first() {
    let (fake, services, _dir) = setup().await;
    let no_legacy = services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values: BTreeMap::new() }).unwrap_err();
    assert_eq!(no_legacy.code(), "not_found", "nothing to move from");
    share_demo_app(&services, &fake).await;
    let bad = services
        .migration
        .prepare(EntraEntryInput { connector: "azure-devops".into(), values: BTreeMap::from([("client_id".into(), "not-a-guid".into())]) })
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_input", "{bad:?}");
    assert!(services.library.list()[0].alternate.is_none(), "nothing saved");
    let entra_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".to_string(), entra_id), ("scopes".to_string(), "vso.work_full".to_string())]);
    services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values }).unwrap();
    services.migration.switch("azure-devops").unwrap();
    services.migration.switch("azure-devops").unwrap();
    let view = &services.library.list()[0];
    assert_eq!(view.entry().unwrap().auth_type.as_str(), "legacy", "switched back");
    assert_eq!(view.alternate.as_ref().unwrap().auth_type.as_str(), "entra", "the Entra entry is kept beside");
    assert!(services.sign_in.preflight(&shared_install()).await.is_ok(), "new installs use the legacy app again");
}

async fn install_all(services: &Services, projects: &[&str]) -> Vec<InstallationId> {
    let mut ids = Vec::new();
    for p in projects {
        ids.push(sign_in(services, &shared_install_of(p, None)).await);
    }
    ids
}

/// A move half done survives a restart: the entry beside, the switch and the moved
/// installation are in the settings file, and a process that ends while a move's
/// sign-in is open (its window waiting) leaves that installation on legacy, working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_finished_move_survives_a_restart_and_a_process_gone_mid_move() {
    let (fake, services, store, dir) = setup_with_store().await;
    share_demo_app(&services, &fake).await;
    fake.with(|w| w.lifetimes.access_token = std::time::Duration::from_secs(1));
    let ids = install_all(&services, &["Website", "Fabrikam Fiber"]).await;
    fake.with(|w| w.lifetimes.access_token = std::time::Duration::from_secs(3600));
    let entra_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".to_string(), entra_id), ("scopes".to_string(), "vso.work_full vso.project".to_string())]);
    services.migration.prepare(EntraEntryInput { connector: "azure-devops".into(), values }).unwrap();
    services.migration.switch("azure-devops").unwrap();
    let accept = Port(ScriptedWindows::new(User::Consents("accept")));
    services.sign_in.run(&shared_install_of("Website", Some(ids[0].clone())), &accept).await.unwrap();
    // The second move starts (its sign-in is open at Microsoft), and the process ends.
    let tokens_before = store.get_raw(&format!("installation/{}/tokens", ids[1]));
    let (sign_in, open) = (services.sign_in.clone(), ScriptedWindows::new(User::Waits));
    let (window, input) = (open.clone(), shared_install_of("Fabrikam Fiber", Some(ids[1].clone())));
    let second = tokio::spawn(async move { sign_in.run(&input, &Port(window)).await });
    open.opened.notified().await;
    second.abort();
    assert!(second.await.unwrap_err().is_cancelled(), "ended with the process, never answered");
    drop(services);

    let again = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    let view = &again.library.list()[0];
    assert_eq!(view.entry().unwrap().auth_type.as_str(), "entra", "still switched");
    assert_eq!(view.alternate.as_ref().unwrap().auth_type.as_str(), "legacy", "the legacy entry still beside");
    assert_eq!((view.shared_entra, view.shared_legacy), (1, 1), "1 of 2 moved");
    assert_eq!(kind_of(&again, &ids[1]), "legacy");
    assert_eq!(store.get_raw(&format!("installation/{}/tokens", ids[1])), tokens_before, "its tokens untouched");
    let requests = fake.token_requests();
    assert!(again.tokens.access_token(&ids[1]).await.is_ok(), "and it still works on legacy");
    assert_eq!(fake.token_requests(), requests + 1, "refreshed with the legacy app");
    assert!(again.tokens.access_token(&ids[0]).await.is_ok(), "the moved one works on Entra");
}
