//! What the window shows of an installation: the record, its live status, and
//! which connector methods its granted scopes allow (and why not).

use serde::Serialize;

use crate::microsoft::azure_devops::{explain_unauthorized, Access};
use crate::model::connectors::MethodId;
use crate::model::installation::Installation;
use crate::model::scopes::{catalog, methods_available, parse_scopes, ScopeSet};
use crate::services::tokens::Status;

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct MethodState {
    pub id: MethodId,
    /// The scopes that allow it, by name ("Audit Log (read) (vso.auditlog)").
    pub needs: String,
    /// Why this installation can't run it; `None` when it can.
    pub unavailable_because: Option<String>,
}

fn method_states(granted: &ScopeSet, kind: crate::model::registration::AuthKind, org: &str) -> Vec<MethodState> {
    methods_available(granted)
        .into_iter()
        .map(|m| {
            let needs: Vec<&str> = m.method.any_of.iter().map(String::as_str).collect();
            let names: Vec<String> = needs.iter().map(|s| format!("{} ({s})", catalog().name_of(s))).collect();
            MethodState {
                id: m.method.id,
                needs: names.join(" or "),
                unavailable_because: (!m.available).then(|| {
                    let e = explain_unauthorized(Access { kind, granted }, &needs, org);
                    format!("{e}. {}", e.hint())
                }),
            }
        })
        .collect()
}

impl InstallationView {
    pub fn new(i: &Installation, status: Status) -> Self {
        let granted = parse_scopes(&i.scopes).unwrap_or_default();
        let (ok, missing): (Vec<_>, Vec<_>) = methods_available(&granted).into_iter().partition(|m| m.available);
        InstallationView {
            status,
            methods: method_states(&granted, i.auth_type, &i.organization),
            installation: i.clone(),
            methods_available: ok.into_iter().map(|m| m.method.name).collect(),
            methods_unavailable: missing.into_iter().map(|m| m.method.name).collect(),
            secret_warning: None,
        }
    }
}
