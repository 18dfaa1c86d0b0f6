//! Microsoft's scope data, read from the same catalog file the app ships.
//! Only the *data* is shared; the rules that use it here are the fake's own,
//! so a bug in the app's scope engine can't hide behind the fake.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

#[derive(serde::Deserialize)]
struct Catalog {
    scopes: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    scope: String,
    name: String,
    includes: Vec<String>,
}

static CATALOG: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| {
    let c: Catalog =
        serde_json::from_str(include_str!("../../../src-tauri/core/src/model/scopes/catalog.json")).expect("catalog.json is valid");
    c.scopes.into_iter().map(|e| (e.scope.clone(), e)).collect()
});

/// The registration UI's name for a scope, or the scope itself.
pub fn ui_name(scope: &str) -> String {
    CATALOG.get(scope).map(|e| e.name.clone()).unwrap_or_else(|| scope.to_string())
}

pub fn is_known(scope: &str) -> bool {
    CATALOG.contains_key(scope)
}

/// Every scope `granted` stands for, following "includes" edges.
pub fn effective(granted: &[String]) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut stack: Vec<String> = granted.to_vec();
    while let Some(s) = stack.pop() {
        if out.insert(s.clone()) {
            if let Some(e) = CATALOG.get(&s) {
                stack.extend(e.includes.iter().cloned());
            }
        }
    }
    out
}

/// Whether a grant allows an operation whose spec lists `any_of`.
/// `user_impersonation` is full access to every Azure DevOps API.
pub fn allows(granted: &[String], any_of: &[&str]) -> bool {
    let eff = effective(granted);
    eff.contains("user_impersonation") || any_of.iter().any(|s| eff.contains(*s))
}
