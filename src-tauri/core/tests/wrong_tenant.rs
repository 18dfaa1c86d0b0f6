//! A token from the wrong tenant: Azure DevOps answers an Entra token issued by another tenant
//! than the organization's with `TF400813` naming the user (docs/microsoft.md). The app reads
//! the token's `tid` (unverified, for the diagnosis only) against the organization's tenant and
//! names both, with the fix; a `TF400813` whose token is from the right tenant keeps its
//! explanation from the scopes and membership.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::MethodId;
use connector_core::model::ids::TenantId;
use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::services::methods::MethodRequest;
use connector_core::{Error, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, own_entra_install, MemoryStore, Port, ScriptedWindows, User};

async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let services =
        Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::new(MemoryStore::default())));
    (fake, services, dir)
}

/// The fake's multitenant Entra app as the user's own, signing in at `tenant` (blank: the
/// organization's tenant, found by the app).
fn entra(fake: &FakeMicrosoft, org: &str, project: &str, tenant: &str) -> InstallInput {
    InstallInput { organization: org.into(), project: project.into(), ..own_entra_install(fake, tenant) }
}

/// A sign-in accepted as the demo user (Dana, of the Microsoft tenant).
async fn sign_in(s: &Services, input: &InstallInput) -> connector_core::Result<InstallationId> {
    Ok(s.sign_in.run(input, &Port(ScriptedWindows::new(User::Consents("accept")))).await?.installation.id)
}

async fn list_work_items(s: &Services, id: &InstallationId) -> connector_core::Result<usize> {
    let req = MethodRequest { installation: id.clone(), method: MethodId::ListWorkItems, inputs: BTreeMap::new() };
    s.methods.run(&req, None).await.map(|out| out.rows.len())
}

fn assert_names_both(err: &Error, org_tenant: &str, token_tenant: &str) {
    assert_eq!(err.code(), "wrong_tenant_token", "{err}");
    let Error::WrongTenantToken { org_tenant: o, token_tenant: t, .. } = err else { panic!("{err:?}") };
    assert_eq!((o.as_str(), t.as_str()), (org_tenant, token_tenant));
    let message = err.to_string();
    assert!(message.contains(org_tenant) && message.contains(token_tenant) && message.contains("TF400813"), "{message}");
    assert!(err.hint().contains("Re-authenticate") && err.hint().contains("Tenant ID blank"), "{}", err.hint());
    assert!(err.hint().contains(org_tenant), "the fix names the organization's tenant: {}", err.hint());
}

/// A B2B guest: Dana, of the Microsoft tenant, is a member of fabrikam (in Fabrikam's tenant)
/// and signs in with her home tenant as the Tenant ID. The token is her home tenant's, which
/// fabrikam refuses; the check at sign-in says so. The fix the hint names (Tenant ID blank)
/// signs her in at fabrikam's tenant, and it connects.
#[tokio::test]
async fn a_guest_signed_in_at_home_is_told_its_token_is_from_the_wrong_tenant() {
    let (fake, s, _dir) = setup().await;
    let (home, fabrikam_tenant) = fake.with(|w| {
        let fabrikam_tenant = w.add_customer_in_another_tenant();
        w.users[0].organizations.push("fabrikam".into());
        (w.users[0].tenant_id.clone(), fabrikam_tenant)
    });
    assert_ne!(home, fabrikam_tenant);
    let err = sign_in(&s, &entra(&fake, "fabrikam", "Portal", &home)).await.unwrap_err();
    assert_names_both(&err, &fabrikam_tenant, &home);
    assert!(s.installations.all().is_empty(), "nothing was installed");

    let id = sign_in(&s, &entra(&fake, "fabrikam", "Portal", "")).await.expect("signed in at the organization's tenant");
    assert_eq!(s.installations.get(&id).unwrap().tenant.as_ref().map(TenantId::as_str), Some(fabrikam_tenant.as_str()));
    assert!(s.methods.test_connection(&id).await.unwrap().contains("fabrikam / Portal"));
}

/// An installation whose organization then moved to another Entra directory (an admin changed
/// its Microsoft Entra connection): its token is the old tenant's. Test connection and a method
/// both name the two tenants, and no refresh is spent (a new token would be the same tenant's).
#[tokio::test]
async fn an_installation_whose_organization_moved_tenant_names_both_tenants() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &entra(&fake, "contoso", "Website", "")).await.unwrap();
    let old = s.installations.get(&id).unwrap().tenant.expect("signed in at contoso's tenant");
    let moved_to = fake.with(|w| {
        let omar = w.users.iter().find(|u| u.email == "omar@fabrikam.com").unwrap().tenant_id.clone();
        w.organization_mut("contoso").unwrap().tenant_id = omar.clone();
        omar
    });
    let refreshes = fake.token_requests();
    assert_names_both(&s.methods.test_connection(&id).await.unwrap_err(), &moved_to, old.as_str());
    assert_names_both(&list_work_items(&s, &id).await.unwrap_err(), &moved_to, old.as_str());
    assert_eq!(fake.token_requests(), refreshes, "no refresh for a token of the wrong tenant");
    assert_eq!(s.installations.get(&id).unwrap().needs_reauth, None);
}

/// The same `TF400813` naming the user, but the token is the organization's tenant's (Dana is
/// no longer a member): the tenants were compared, and the explanation stays what it was.
#[tokio::test]
async fn a_tf400813_naming_the_user_with_the_orgs_tenant_keeps_its_explanation() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &entra(&fake, "contoso", "Website", "")).await.unwrap();
    fake.with(|w| w.users[0].organizations.retain(|o| o != "contoso"));
    let discoveries = fake.with(|w| w.discovery_requests.len());
    let err = list_work_items(&s, &id).await.unwrap_err();
    assert_eq!(err.code(), "not_authorized", "{err}");
    assert!(fake.with(|w| w.discovery_requests.len()) > discoveries, "the organization's tenant was looked up");
}
