//! What the window shows of an installation: the record, its live status, and
//! which connector methods its granted scopes allow (and why not).

use serde::Serialize;

use crate::error::Error;
use crate::microsoft::azure_devops::{explain_unauthorized, Access};
use crate::model::connectors::MethodId;
use crate::model::installation::{AppSource, Installation};
use crate::model::registration::AuthKind;
use crate::model::scopes::{catalog, methods_available, ScopeSet};
use crate::services::tokens::Status;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct InstallationView {
    #[serde(flatten)]
    pub installation: Installation,
    pub status: Status,
    /// The connector methods the granted scopes allow, and those they don't.
    pub methods_available: Vec<String>,
    pub methods_unavailable: Vec<String>,
    /// Each method with what it needs and, when it can't run, why.
    pub methods: Vec<MethodState>,
    /// A legacy app's Client Secret expiring within 14 days (or expired): what to do.
    pub secret_warning: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MethodState {
    pub id: MethodId,
    /// The scopes that allow it, by name ("Audit Log (read) (vso.auditlog)").
    pub needs: String,
    /// Why this installation can't run it; `None` when it can.
    pub unavailable_because: Option<String>,
}

fn method_states(granted: &ScopeSet, i: &Installation) -> Vec<MethodState> {
    methods_available(granted)
        .into_iter()
        .map(|m| {
            let needs: Vec<&str> = m.method.any_of.iter().map(String::as_str).collect();
            let names: Vec<String> = needs.iter().map(|s| format!("{} ({s})", catalog().name_of(s))).collect();
            MethodState {
                id: m.method.id,
                needs: names.join(" or "),
                unavailable_because: (!m.available).then(|| {
                    let e = explain_unauthorized(Access { kind: i.auth_type, granted }, &needs, &i.organization);
                    format!("{e}. {}", for_the_role(&e, i.source, i.auth_type))
                }),
            }
        })
        .collect()
}

/// What to do, said to the person who can do it: a shared app's scopes are the admin's
/// (the Connector Library), an own app's are the user's. A legacy registration's scopes are
/// fixed when it is made, so no one is told to add one to it.
fn for_the_role(e: &Error, source: AppSource, kind: AuthKind) -> String {
    match (e, source) {
        (Error::ScopeMissing { needs, .. }, AppSource::Shared) if kind == AuthKind::Legacy => format!(
            "A legacy app's scopes can't be changed: ask your admin for a Connector Library app that has {needs} (a new registration, or the move to Entra ID), then Re-authenticate."
        ),
        (Error::ScopeMissing { needs, .. }, AppSource::Shared) => format!(
            "Ask your admin to add {needs} to the Connector Library's app (and its app registration), then Re-authenticate."
        ),
        (Error::ScopeMissing { needs, .. }, AppSource::Own) => format!(
            "Use an app registration that has {needs} (a legacy app's scopes can't be edited: register a new one), then Re-authenticate with its scopes."
        ),
        _ => e.hint(),
    }
}

impl InstallationView {
    pub fn new(i: &Installation, status: Status) -> Self {
        let granted = i.scopes.known();
        let (ok, missing): (Vec<_>, Vec<_>) = methods_available(granted).into_iter().partition(|m| m.available);
        InstallationView {
            status,
            methods: method_states(granted, i),
            installation: i.clone(),
            methods_available: ok.into_iter().map(|m| m.method.name).collect(),
            methods_unavailable: missing.into_iter().map(|m| m.method.name).collect(),
            secret_warning: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::connectors::MethodId;

    fn reason(source: AppSource, kind: &str) -> String {
        let json = serde_json::json!({
            "id": "i1", "connector": "azure-devops", "organization": "contoso", "project": "Website", "project_id": "p1",
            "auth_type": kind, "source": source, "scopes": "vso.work_full",
            "user": {"id": "u", "display_name": "Dana", "email": "dana@contoso.com"},
            "created_at": 0, "access_expires_at": 0
        });
        let i: Installation = serde_json::from_value(json).expect("an installation");
        let states = method_states(i.scopes.known(), &i);
        let audit = states.iter().find(|m| m.id == MethodId::QueryAuditLog).expect("the audit method");
        audit.unavailable_because.clone().expect("not allowed by vso.work_full")
    }

    #[test]
    fn a_missing_scope_is_the_admins_to_add_on_a_shared_app_and_the_users_on_their_own() {
        let shared = reason(AppSource::Shared, "entra");
        assert!(shared.contains("Ask your admin to add Audit Log (read) (vso.auditlog)"), "{shared}");
        // A legacy registration's scopes can't be changed: the admin needs another app, not an added scope.
        let legacy = reason(AppSource::Shared, "legacy");
        assert!(legacy.contains("ask your admin for a Connector Library app that has Audit Log (read)"), "{legacy}");
        assert!(!legacy.contains("add Audit Log"), "{legacy}");
        let own = reason(AppSource::Own, "legacy");
        assert!(own.contains("Use an app registration that has Audit Log (read)") && !own.contains("admin"), "{own}");
    }
}
