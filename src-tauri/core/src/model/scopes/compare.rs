//! Exact-match validation for legacy Azure DevOps OAuth, and plain-language
//! explanations of Microsoft's scope errors.

use serde::Serialize;

use super::catalog::catalog;
use super::set::ScopeSet;

/// Legacy Azure DevOps OAuth answers `InvalidScope` unless the requested set
/// equals the registration's Authorized scopes. Order and duplicates don't matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Comparison {
    Exact,
    Mismatch {
        /// Registered, but not requested.
        missing: Vec<String>,
        /// Requested, but not registered.
        extra: Vec<String>,
    },
}

pub fn compare(requested: &ScopeSet, registered: &ScopeSet) -> Comparison {
    let missing: Vec<String> = registered.iter().filter(|s| !requested.contains(s)).map(str::to_string).collect();
    let extra: Vec<String> = requested.iter().filter(|s| !registered.contains(s)).map(str::to_string).collect();
    if missing.is_empty() && extra.is_empty() {
        Comparison::Exact
    } else {
        Comparison::Mismatch { missing, extra }
    }
}

fn names(scopes: &[String]) -> String {
    let named: Vec<&str> = scopes.iter().map(|s| catalog().name_of(s)).collect();
    match named.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Remedy for any legacy scope mismatch: registered scopes can't be edited.
pub const MISMATCH_REMEDY: &str = "Send exactly the app registration's Authorized scopes. Registered scopes can't be edited, so if the app needs different scopes, register a new app (or use Microsoft Entra ID).";

impl Comparison {
    pub fn is_exact(&self) -> bool {
        matches!(self, Comparison::Exact)
    }

    /// One sentence naming the difference with registration-page names.
    pub fn explain(&self) -> Option<String> {
        let Comparison::Mismatch { missing, extra } = self else { return None };
        let asks = (!extra.is_empty()).then(|| format!("Your install asks for {} which the app registration does not have", names(extra)));
        let has = (!missing.is_empty()).then(|| format!("the registration has {} which your install does not ask for", names(missing)));
        let sentence = match (asks, has) {
            (Some(a), Some(h)) => format!("{a}; {h}."),
            (Some(a), None) => format!("{a}."),
            (None, Some(h)) => {
                let mut h = h;
                h.replace_range(..1, "T");
                format!("{h}.")
            }
            (None, None) => unreachable!("a mismatch has a difference"),
        };
        Some(sentence)
    }
}

/// What to tell the user when Microsoft rejected the scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeErrorExplanation {
    pub message: String,
    pub hint: String,
}

/// For `?error=InvalidScope` on the legacy callback. With the registration's
/// scopes known, the explanation carries the diff; without, what to check.
pub fn explain_invalid_scope(requested: &ScopeSet, registered: Option<&ScopeSet>) -> ScopeErrorExplanation {
    let diff = registered.map(|r| compare(requested, r));
    match diff.as_ref().and_then(Comparison::explain) {
        Some(sentence) => ScopeErrorExplanation {
            message: format!("Microsoft refused the sign-in with InvalidScope. {sentence}"),
            hint: MISMATCH_REMEDY.to_string(),
        },
        None => ScopeErrorExplanation {
            message: format!(
                "Microsoft refused the sign-in with InvalidScope: the scopes sent ({}) are not exactly the app registration's Authorized scopes.",
                requested.names().join(", ")
            ),
            hint: format!(
                "Open the app's page under \"Applications and services\" in your Azure DevOps profile (https://app.vssps.visualstudio.com/profile/view), compare its Authorized scopes with these, and enter exactly those. {MISMATCH_REMEDY}"
            ),
        },
    }
}

/// For Entra's `invalid_scope` / AADSTS70011.
pub fn explain_entra_invalid_scope(requested: &ScopeSet, description: &str) -> ScopeErrorExplanation {
    let bare = description.contains("does not exist") && !description.contains(super::set::ADO_RESOURCE);
    let message = if bare {
        "Microsoft Entra ID refused the scopes (AADSTS70011): a scope was sent without the Azure DevOps resource prefix, so Entra looked for it in Microsoft Graph.".to_string()
    } else {
        format!("Microsoft Entra ID refused the scopes (AADSTS70011): {}", requested.names().join(", "))
    };
    ScopeErrorExplanation {
        message,
        hint: "Each scope must be sent as 499b84ac-1321-427f-aa17-267ca6975798/<scope> (Connector Console does this for you), and .default can't be combined with specific scopes. Check that the app registration lists these Azure DevOps delegated permissions under API permissions.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::set::parse_scopes;
    use super::*;

    fn set(s: &str) -> ScopeSet {
        parse_scopes(s).unwrap()
    }

    #[test]
    fn order_and_duplicates_do_not_matter() {
        assert_eq!(compare(&set("vso.work vso.code vso.work"), &set("vso.code, vso.work")), Comparison::Exact);
    }

    #[test]
    fn a_subset_is_still_a_mismatch() {
        // Microsoft says "use the same scopes"; a subset is not known to work.
        let c = compare(&set("vso.work"), &set("vso.work vso.code"));
        assert_eq!(c, Comparison::Mismatch { missing: vec!["vso.code".into()], extra: vec![] });
    }

    #[test]
    fn explains_both_directions_with_ui_names() {
        let c = compare(&set("vso.code"), &set("vso.work_full"));
        assert_eq!(
            c.explain().unwrap(),
            "Your install asks for Code (read) which the app registration does not have; the registration has Work items (full) which your install does not ask for."
        );
        let only_missing = compare(&set("vso.work"), &set("vso.work vso.code vso.project"));
        assert_eq!(
            only_missing.explain().unwrap(),
            "The registration has Code (read) and Project and team (read) which your install does not ask for."
        );
    }

    #[test]
    fn invalid_scope_with_known_registration_carries_the_diff() {
        let e = explain_invalid_scope(&set("vso.code"), Some(&set("vso.work_full")));
        assert!(e.message.contains("Code (read)") && e.message.contains("Work items (full)"), "{}", e.message);
        assert!(e.hint.contains("register a new app"));
    }

    #[test]
    fn invalid_scope_without_registration_says_what_to_check() {
        let e = explain_invalid_scope(&set("vso.code"), None);
        assert!(e.message.contains("Code (read)"));
        assert!(e.hint.contains("Authorized scopes"));
    }

    #[test]
    fn entra_bare_scope_is_explained() {
        let e = explain_entra_invalid_scope(
            &set("vso.work"),
            "AADSTS70011: The provided value for the input parameter 'scope' isn't valid. The scope 'vso.work' does not exist.",
        );
        assert!(e.message.contains("resource prefix"));
    }
}
