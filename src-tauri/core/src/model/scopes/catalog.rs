//! The Azure DevOps scope catalog, loaded from `catalog.json` (data, not code).

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ScopeInfo {
    /// The scope string, e.g. `vso.work_full`.
    pub scope: String,
    /// The name on Microsoft's registration page, e.g. "Work items (full)".
    pub name: String,
    pub category: String,
    pub high_privilege: bool,
    /// Scopes this one includes directly ("inherits from" in Microsoft's table).
    pub includes: Vec<String>,
    pub description: String,
    /// Recognised so old registrations still parse; never offered for new use.
    pub retired: bool,
    /// An Entra ID permission only (`user_impersonation`, the PAT scopes): a legacy app can't have it.
    #[serde(default)]
    pub entra_only: bool,
    /// Marked "(No longer public.)" in Microsoft's scope table (the service hooks scopes): a
    /// legacy registration may hold it, but the Entra portal doesn't offer it, so an Entra app
    /// is never asked to have it.
    #[serde(default)]
    pub not_public: bool,
}

#[derive(Deserialize)]
struct CatalogFile {
    scopes: Vec<ScopeInfo>,
}

pub struct Catalog {
    entries: Vec<ScopeInfo>,
    by_scope: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let file: CatalogFile = serde_json::from_str(include_str!("catalog.json")).expect("catalog.json is valid JSON");
    Catalog::new(file.scopes)
});

/// The shipped catalog.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    fn new(entries: Vec<ScopeInfo>) -> Self {
        let by_scope = entries.iter().enumerate().map(|(i, e)| (e.scope.to_ascii_lowercase(), i)).collect();
        let by_name = entries.iter().enumerate().map(|(i, e)| (e.name.to_lowercase(), i)).collect();
        Self { entries, by_scope, by_name }
    }

    pub fn entries(&self) -> &[ScopeInfo] {
        &self.entries
    }

    /// By scope string, in any case.
    pub fn get(&self, scope: &str) -> Option<&ScopeInfo> {
        self.by_scope.get(&scope.to_ascii_lowercase()).map(|&i| &self.entries[i])
    }

    /// By registration-page name, in any case.
    pub fn by_name(&self, name: &str) -> Option<&ScopeInfo> {
        self.by_name.get(&name.to_lowercase()).map(|&i| &self.entries[i])
    }

    /// Names sorted longest first, so the parser prefers "Code (read and write)" over "Code (read)".
    pub(crate) fn names_longest_first(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names
    }

    /// The UI name of a scope, or the scope itself when it isn't catalogued.
    pub fn name_of<'a>(&'a self, scope: &'a str) -> &'a str {
        self.get(scope).map(|e| e.name.as_str()).unwrap_or(scope)
    }

    /// Everything `scope` grants: itself plus all it includes, transitively.
    pub fn closure(&self, scope: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut stack = vec![scope.to_ascii_lowercase()];
        while let Some(s) = stack.pop() {
            if out.insert(s.clone()) {
                if let Some(e) = self.get(&s) {
                    stack.extend(e.includes.iter().cloned());
                }
            }
        }
        out
    }

    /// Up to three catalog entries closest to an unknown token, for "did you mean".
    pub fn suggest(&self, token: &str) -> Vec<String> {
        let t = token.to_lowercase();
        let mut scored: Vec<(usize, String)> = self
            .entries
            .iter()
            .filter(|e| !e.retired)
            .flat_map(|e| {
                let d_scope = strsim::levenshtein(&t, &e.scope);
                let d_name = strsim::levenshtein(&t, &e.name.to_lowercase());
                let (d, label) =
                    if d_scope <= d_name { (d_scope, e.scope.clone()) } else { (d_name, format!("\"{}\" ({})", e.name, e.scope)) };
                Some((d, label))
            })
            .filter(|(d, _)| *d <= (t.chars().count() / 3).max(3))
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, s)| s).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn holds_every_current_scope_and_the_retired_ones() {
        let c = catalog();
        // Microsoft's scope table has 85 current vso.* scopes; the PAT scopes are current too, for Entra only.
        let current: Vec<_> = c.entries().iter().filter(|e| !e.retired && !e.entra_only).collect();
        assert_eq!(current.iter().filter(|e| e.scope.starts_with("vso.")).count(), 85);
        for entra in ["vso.pats", "vso.pats_manage", "user_impersonation"] {
            let e = c.get(entra).unwrap();
            assert!(e.entra_only && !e.retired, "{entra}");
        }
        assert!(c.get("user_impersonation").is_some());
        assert_eq!(c.get("vso.work_full").unwrap().name, "Work items (full)");
        assert!(c.get("vso.chat_write").unwrap().retired);
        assert!(c.get("vso.loadtest").unwrap().retired);
        assert!(c.get("vso.code_full").unwrap().high_privilege);
        assert!(!c.get("vso.work_full").unwrap().high_privilege);
    }

    #[test]
    fn scopes_and_names_are_unique() {
        let c = catalog();
        let scopes: HashSet<_> = c.entries().iter().map(|e| e.scope.to_lowercase()).collect();
        let names: HashSet<_> = c.entries().iter().map(|e| e.name.to_lowercase()).collect();
        assert_eq!(scopes.len(), c.entries().len());
        assert_eq!(names.len(), c.entries().len());
    }

    #[test]
    fn inclusion_graph_only_names_known_scopes_and_has_no_cycles() {
        let c = catalog();
        // Depth-first search with colours: grey = on the current path.
        fn visit<'a>(c: &'a Catalog, s: &'a str, grey: &mut Vec<&'a str>, done: &mut HashSet<&'a str>) {
            if done.contains(s) {
                return;
            }
            assert!(!grey.contains(&s), "cycle through {s}: {grey:?}");
            grey.push(s);
            for inc in &c.get(s).unwrap_or_else(|| panic!("{s} includes an unknown scope")).includes {
                visit(c, inc, grey, done);
            }
            grey.pop();
            done.insert(s);
        }
        let mut done = HashSet::new();
        for e in c.entries() {
            visit(c, &e.scope, &mut Vec::new(), &mut done);
        }
    }

    #[test]
    fn work_full_includes_the_chain_down_to_profile() {
        let closure = catalog().closure("vso.work_full");
        for s in ["vso.work_full", "vso.work_write", "vso.work", "vso.hooks_write", "vso.hooks", "vso.profile"] {
            assert!(closure.contains(s), "{s} missing from {closure:?}");
        }
        assert!(!closure.contains("vso.auditlog"));
    }

    #[test]
    fn suggests_near_misses() {
        let s = catalog().suggest("vso.work_ful");
        assert_eq!(s.first().map(String::as_str), Some("vso.work_full"));
        assert!(catalog().suggest("completely-unrelated-words-here").is_empty());
    }
}
