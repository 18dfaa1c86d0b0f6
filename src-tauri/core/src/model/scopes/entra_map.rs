//! A legacy app's scopes in Microsoft Entra ID: what to add under API permissions.
//!
//! Every current `vso.*` scope is also an Azure DevOps delegated permission in Entra,
//! under the same name ("New Azure DevOps scopes now available for Microsoft Identity
//! OAuth delegated flow apps", Azure DevOps blog, 2023). Scopes Microsoft retired have
//! no Entra form, and Entra adds permissions a legacy app never had.

use serde::Serialize;

use super::{catalog, ScopeSet};
use ts_rs::TS;

/// One delegated permission to add to the Entra app registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EntraPermission {
    /// The scope string, the same in both flows: `vso.work_full`.
    pub scope: String,
    /// The registration page's name: "Work items (full)".
    pub name: String,
    /// As the Entra portal lists it under API permissions: "Azure DevOps: vso.work_full".
    pub label: String,
}

/// What a legacy scope set becomes in Entra.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct EntraMapping {
    /// One permission per legacy scope that has one, in the set's order.
    pub permissions: Vec<EntraPermission>,
    /// Legacy scopes with no Entra form to tick (retired, or no longer public), by name: they can't move.
    pub no_equivalent: Vec<EntraPermission>,
    /// Entra-only permissions worth offering (the personal access token scopes).
    pub entra_adds: Vec<EntraPermission>,
}

fn permission(scope: &str) -> EntraPermission {
    EntraPermission { scope: scope.to_string(), name: catalog().name_of(scope).to_string(), label: format!("Azure DevOps: {scope}") }
}

/// Maps a legacy app's registered scopes one to one onto Entra delegated permissions.
pub fn legacy_to_entra(legacy: &ScopeSet) -> EntraMapping {
    // Neither retired scopes nor the ones Microsoft's table marks "(No longer public.)": the
    // Entra portal doesn't offer those, so the guide never asks an admin to tick them.
    let offered = |s: &&str| catalog().get(s).is_none_or(|e| !e.retired && !e.not_public);
    let (keep, gone): (Vec<&str>, Vec<&str>) = legacy.iter().partition(offered);
    // `user_impersonation` is full access to every API: offering it would widen the app.
    let entra_adds = catalog()
        .entries()
        .iter()
        .filter(|e| e.entra_only && !e.retired && e.scope.starts_with("vso."))
        .map(|e| permission(&e.scope))
        .collect();
    EntraMapping {
        permissions: keep.into_iter().map(permission).collect(),
        no_equivalent: gone.into_iter().map(permission).collect(),
        entra_adds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scopes::parse_scopes;

    #[test]
    fn every_legacy_scope_in_the_catalog_maps_or_is_named() {
        // A legacy app can hold any non-Entra-only scope of the catalog, retired ones included.
        let legacy: Vec<&str> = catalog().entries().iter().filter(|e| !e.entra_only).map(|e| e.scope.as_str()).collect();
        let set = parse_scopes(&legacy.join(" ")).unwrap();
        let m = legacy_to_entra(&set);
        assert_eq!(m.permissions.len() + m.no_equivalent.len(), legacy.len(), "each legacy scope lands in exactly one list");
        for p in &m.permissions {
            assert_eq!(p.label, format!("Azure DevOps: {}", p.scope));
            assert!(!catalog().get(&p.scope).unwrap().retired, "{}", p.scope);
        }
        let none: Vec<&str> = m.no_equivalent.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(
            none,
            [
                "vso.chat_manage",
                "vso.chat_write",
                "vso.codesearch",
                "vso.graph_write",
                "vso.hooks",
                "vso.hooks_interact",
                "vso.hooks_write",
                "vso.loadtest",
                "vso.loadtest_write",
                "vso.workitemsearch"
            ]
        );
        assert_eq!(m.no_equivalent[0].name, "Team rooms (read, write, and manage)");
    }

    #[test]
    fn the_guides_scopes_map_one_to_one_and_entra_offers_the_pat_scopes() {
        let m = legacy_to_entra(&parse_scopes("vso.work_full vso.auditlog").unwrap());
        let labels: Vec<&str> = m.permissions.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["Azure DevOps: vso.auditlog", "Azure DevOps: vso.work_full"]);
        assert_eq!(m.permissions[1].name, "Work items (full)");
        assert!(m.no_equivalent.is_empty());
        let adds: Vec<&str> = m.entra_adds.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(adds, ["vso.pats", "vso.pats_manage"]);
    }

    #[test]
    fn service_hook_scopes_are_not_offered_as_permissions_to_tick() {
        let m = legacy_to_entra(&parse_scopes("vso.work_full vso.hooks_write vso.hooks").unwrap());
        let offered: Vec<&str> = m.permissions.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(offered, ["vso.work_full"]);
        let gone: Vec<&str> = m.no_equivalent.iter().map(|p| p.scope.as_str()).collect();
        assert!(gone.contains(&"vso.hooks") && gone.contains(&"vso.hooks_write"), "{gone:?}");
    }
}
