//! The audit log refused, against the fake: Microsoft documents auditing's three
//! preconditions (an organization backed by Microsoft Entra ID, the "Log Audit Events"
//! policy on, the "View audit log" permission) but no answer per each, so a refusal of a
//! token whose scopes cover the call names all three, and the one known when the
//! organization is found to have no tenant. The fake refuses only with Azure DevOps'
//! documented generic TF400813 (here: the account is no member of the organization).

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::MethodId;
use connector_core::services::methods::MethodRequest;
use connector_core::{Error, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app_with_scopes, shared_install, sign_in, MemoryStore};

const ALL: &str = "vso.work_full vso.project vso.auditlog";
const LEARN: &str = "https://learn.microsoft.com/en-us/azure/devops/organizations/audit/azure-devops-auditing";

/// A legacy installation of contoso / Website with the audit log scope, whose account then
/// stops being a member of contoso (Azure DevOps answers the generic TF400813 naming it).
async fn refused_audit_log(personal_accounts_org: bool) -> (FakeMicrosoft, Error) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    fake.with(|w| w.legacy_apps[0].scopes = ALL.split(' ').map(str::to_string).collect());
    let dir = tempfile::tempdir().unwrap();
    let services =
        Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::new(MemoryStore::default())));
    share_demo_app_with_scopes(&services, &fake, ALL).await;
    let id = sign_in(&services, &shared_install()).await;
    let req = MethodRequest { installation: id, method: MethodId::QueryAuditLog, inputs: Default::default() };
    assert!(services.methods.run(&req, None).await.is_ok(), "the audit log works while the account is a member");
    fake.with(|w| {
        w.users[0].organizations.retain(|o| o != "contoso");
        if personal_accounts_org {
            w.organization_mut("contoso").unwrap().tenant_id = "00000000-0000-0000-0000-000000000000".into();
        }
    });
    (fake, services.methods.run(&req, None).await.unwrap_err())
}

#[tokio::test]
async fn a_refused_audit_log_names_all_three_documented_preconditions_to_check() {
    let (_fake, e) = refused_audit_log(false).await;
    assert_eq!(e.code(), "audit_unavailable", "{e:?}");
    let (message, hint) = (e.to_string(), e.hint());
    for precondition in ["backed by Microsoft Entra ID", "\"Log Audit Events\" policy", "\"View audit log\" permission"] {
        assert!(message.contains(precondition), "message lacks {precondition}: {message}");
        assert!(hint.contains(precondition), "hint lacks {precondition}: {hint}");
    }
    assert!(hint.contains("check all three") && hint.contains(LEARN), "{hint}");
    // Nothing known is claimed: contoso has a tenant, so it is not said to lack one.
    assert!(!message.contains("is not backed"), "{message}");
    // A legacy app's token: the third-party OAuth policy is one more thing to check.
    assert!(hint.contains("Third-party application access via OAuth"), "{hint}");
}

#[tokio::test]
async fn an_organization_found_without_a_tenant_is_named_as_not_backed_by_entra_id() {
    let (fake, e) = refused_audit_log(true).await;
    assert_eq!(e.code(), "audit_unavailable", "{e:?}");
    assert!(e.to_string().contains("contoso is not backed by Microsoft Entra ID"), "{e}");
    let hint = e.hint();
    assert!(hint.starts_with("Connect contoso to Microsoft Entra ID"), "{hint}");
    assert!(hint.contains("\"Log Audit Events\" policy") && hint.contains("\"View audit log\" permission"), "{hint}");
    // Known from the organization's tenant discovery (X-VSS-ResourceTenant: the empty GUID).
    assert!(fake.with(|w| !w.discovery_requests.is_empty()), "the organization's tenant was not looked up");
}
