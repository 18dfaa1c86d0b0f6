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
/// granted and a method is lost for it: it names those methods, and, grouped by the
/// scope they need, the ones it wouldn't enable (the audit log needs its own scope).
/// A choice that keeps every method the recommended scope gives (vso.work_write with
/// vso.profile, say) gets none: a legacy registration's scopes are what they are.
pub fn recommended_scope_warning(granted: &ScopeSet) -> Option<String> {
    let recommended = &azure_devops().recommended_scope;
    if granted.is_default() || granted.grants(recommended) {
        return None;
    }
    let name = catalog().name_of(recommended);
    let with_recommended = super::set::parse_scopes(recommended).unwrap_or_default();
    let unavailable: Vec<Method> = methods_available(granted).into_iter().filter(|m| !m.available).map(|m| m.method).collect();
    let (fixed, others): (Vec<&Method>, Vec<&Method>) =
        unavailable.iter().partition(|m| m.any_of.iter().any(|s| with_recommended.grants(s)));
    if fixed.is_empty() {
        return None;
    }
    let names: Vec<&str> = fixed.iter().map(|m| m.name.as_str()).collect();
    let mut text = format!(
        "{name} ({recommended}) is not included, so these methods won't work: {}. {}",
        names.join(", "),
        azure_devops().recommended_scope_note
    );
    // The rest need a scope of their own: one sentence per missing scope.
    let mut by_scope: Vec<(String, Vec<&str>)> = Vec::new();
    for m in others {
        let scope = m.any_of.first().cloned().unwrap_or_default();
        match by_scope.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, names)) => names.push(&m.name),
            None => by_scope.push((scope, vec![&m.name])),
        }
    }
    for (scope, names) in by_scope {
        text.push_str(&format!(" {} also needs {} ({scope}).", names.join(", "), catalog().name_of(&scope)));
    }
    Some(text)
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
    fn the_audit_log_is_never_blamed_on_work_items_full() {
        let w = recommended_scope_warning(&parse_scopes("vso.profile").unwrap()).unwrap();
        let (blamed, rest) = w.split_once("Needed for most methods").unwrap();
        assert!(!blamed.contains("Query the audit log"), "{w}");
        assert!(rest.contains("Query the audit log also needs Audit Log (read) (vso.auditlog)."), "{w}");
    }

    #[test]
    fn no_warning_when_no_method_is_lost() {
        // Every method Work items (full) gives is there (read and write include the profile): nothing to warn about.
        assert!(recommended_scope_warning(&parse_scopes("vso.work_write").unwrap()).is_none());
        let w = recommended_scope_warning(&parse_scopes("vso.work").unwrap()).unwrap();
        assert!(w.contains("Create a work item"), "read-only loses Create: {w}");
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
