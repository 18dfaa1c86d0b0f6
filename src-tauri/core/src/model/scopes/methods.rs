//! Which connector methods a set of scopes allows, from the connector manifest.

use serde::Serialize;

use super::catalog::catalog;
use super::set::ScopeSet;
use crate::model::connectors::azure_devops;
pub use crate::model::connectors::Method;

pub fn methods() -> &'static [Method] {
    &azure_devops().methods
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodAvailability {
    pub method: Method,
    pub available: bool,
}

/// Every method, and whether `granted` allows it.
pub fn methods_available(granted: &ScopeSet) -> Vec<MethodAvailability> {
    // `.default` grants whatever the app has configured, which isn't known here.
    methods()
        .iter()
        .map(|m| MethodAvailability { method: m.clone(), available: granted.is_default() || m.any_of.iter().any(|s| granted.grants(s)) })
        .collect()
}

/// A warning, not an error, when the recommended "Work items (full)" is not
/// granted: it names the methods that won't work.
pub fn recommended_scope_warning(granted: &ScopeSet) -> Option<String> {
    if granted.is_default() || granted.grants(&azure_devops().recommended_scope) {
        return None;
    }
    let name = catalog().name_of(&azure_devops().recommended_scope);
    let unavailable: Vec<String> = methods_available(granted).into_iter().filter(|m| !m.available).map(|m| m.method.name).collect();
    Some(if unavailable.is_empty() {
        format!("{name} ({}) is not included. {}", azure_devops().recommended_scope, azure_devops().recommended_scope_note)
    } else {
        format!(
            "{name} ({}) is not included, so these methods won't work: {}. {}",
            azure_devops().recommended_scope,
            unavailable.join(", "),
            azure_devops().recommended_scope_note
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::set::parse_scopes;
    use super::*;

    fn available(scopes: &str) -> Vec<String> {
        methods_available(&parse_scopes(scopes).unwrap())
            .into_iter()
            .filter(|m| m.available)
            .map(|m| serde_json::to_value(m.method.id).unwrap().as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn work_full_covers_everything_but_the_audit_log() {
        let got = available("vso.work_full");
        assert!(got.contains(&"create_work_item".to_string()));
        assert!(got.contains(&"list_accounts".to_string()), "vso.work_full includes vso.profile");
        assert!(!got.contains(&"query_audit_log".to_string()));
        assert!(recommended_scope_warning(&parse_scopes("vso.work_full").unwrap()).is_none());
    }

    #[test]
    fn read_only_work_cannot_create() {
        let got = available("vso.work");
        assert!(got.contains(&"get_work_item".to_string()));
        assert!(!got.contains(&"create_work_item".to_string()));
    }

    #[test]
    fn warning_names_the_methods_that_will_not_work() {
        let w = recommended_scope_warning(&parse_scopes("vso.auditlog vso.profile").unwrap()).unwrap();
        assert!(w.contains("Work items (full)"));
        assert!(w.contains("Create a work item") && w.contains("Get a work item"), "{w}");
        assert!(!w.contains("List accounts"), "{w}");
    }

    #[test]
    fn every_method_names_catalogued_scopes() {
        for m in methods() {
            for s in &m.any_of {
                assert!(catalog().get(s).is_some(), "{:?} needs unknown {s}", m.id);
            }
        }
    }
}
