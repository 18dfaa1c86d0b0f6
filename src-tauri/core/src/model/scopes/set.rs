//! A normalized set of requested or registered scopes, and the parser that
//! builds one from whatever users paste.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::catalog::catalog;
use crate::error::{Error, Result};

/// Azure DevOps' resource (application) id in Microsoft Entra ID.
pub const ADO_RESOURCE: &str = "499b84ac-1321-427f-aa17-267ca6975798";
/// The same resource by URI, which some tools paste instead of the id.
const ADO_RESOURCE_URI: &str = "https://app.vssps.visualstudio.com";
/// Entra's "everything configured on the app" scope, stored without its prefix.
pub const DEFAULT_SCOPE: &str = ".default";
/// Input longer than this is refused: no app registration has that many scopes.
pub const MAX_INPUT_CHARS: usize = 10_000;
/// OpenID Connect scopes that Entra accepts next to Azure DevOps ones. They are
/// protocol plumbing, not Azure DevOps permissions, so the set leaves them out.
const OIDC_SCOPES: &[&str] = &["offline_access", "openid", "profile", "email"];

/// Lower-case catalog scope strings (or `.default` alone), sorted, no duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ScopeSet(BTreeSet<String>);

impl ScopeSet {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.0.contains(scope)
    }

    /// Entra's `.default`: whatever the app registration has configured.
    pub fn is_default(&self) -> bool {
        self.0.contains(DEFAULT_SCOPE)
    }

    /// Every scope granted, following inclusion (`vso.work_full` → `vso.work` → …).
    pub fn effective(&self) -> BTreeSet<String> {
        self.iter().flat_map(|s| catalog().closure(s)).collect()
    }

    /// Whether the set grants `scope`, directly or through inclusion.
    /// `user_impersonation` grants every Azure DevOps API.
    pub fn grants(&self, scope: &str) -> bool {
        let eff = self.effective();
        eff.contains("user_impersonation") || eff.contains(scope)
    }

    /// Scopes Microsoft no longer offers, present in this set.
    pub fn retired(&self) -> Vec<&str> {
        self.iter().filter(|s| catalog().get(s).is_some_and(|e| e.retired)).collect()
    }

    /// The UI names, in the set's order.
    pub fn names(&self) -> Vec<String> {
        self.iter().map(|s| catalog().name_of(s).to_string()).collect()
    }
}

/// Space-separated, as OAuth sends it.
impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.iter().collect();
        f.write_str(&joined.join(" "))
    }
}

impl From<ScopeSet> for String {
    fn from(s: ScopeSet) -> Self {
        s.to_string()
    }
}

impl TryFrom<String> for ScopeSet {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        parse_scopes(&s)
    }
}

enum Token {
    Scope(String),
    Default,
    Ignored,
}

/// Reads one token: a scope string, possibly Entra-prefixed, in any case.
fn classify(raw: &str) -> Result<Token> {
    let lower = raw.trim().to_ascii_lowercase();
    let bare = [ADO_RESOURCE, ADO_RESOURCE_URI]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')))
        .unwrap_or(&lower);
    if bare == DEFAULT_SCOPE {
        return Ok(Token::Default);
    }
    if OIDC_SCOPES.contains(&bare) {
        return Ok(Token::Ignored);
    }
    match catalog().get(bare) {
        Some(e) => Ok(Token::Scope(e.scope.clone())),
        None => Err(Error::UnknownScope { token: raw.trim().to_string(), suggestions: catalog().suggest(raw.trim()) }),
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ',' || c == ';'
}

/// Parses what users paste: scope strings in any case, registration-page names
/// ("Work items (full)"), Entra-prefixed forms, separated by spaces, commas,
/// semicolons or new lines. Returns a normalized, de-duplicated set.
pub fn parse_scopes(input: &str) -> Result<ScopeSet> {
    let len = input.chars().count();
    if len > MAX_INPUT_CHARS {
        return Err(Error::ScopeInputTooLong { len, limit: MAX_INPUT_CHARS });
    }
    let names = catalog().names_longest_first();
    let mut scopes = BTreeSet::new();
    let mut default = false;
    let mut rest = input;
    loop {
        rest = rest.trim_start_matches(is_separator);
        if rest.is_empty() {
            break;
        }
        // A UI name may contain spaces and commas, so try names first, longest first.
        let name_hit = names.iter().find(|name| {
            rest.get(..name.len()).is_some_and(|head| head.eq_ignore_ascii_case(name))
                && rest[name.len()..].chars().next().is_none_or(is_separator)
        });
        let (token, consumed) = match name_hit {
            Some(name) => (catalog().by_name(name).map(|e| Token::Scope(e.scope.clone())).expect("name from catalog"), name.len()),
            None => {
                let end = rest.find(is_separator).unwrap_or(rest.len());
                (classify(&rest[..end])?, end)
            }
        };
        match token {
            Token::Scope(s) => {
                scopes.insert(s);
            }
            Token::Default => default = true,
            Token::Ignored => {}
        }
        rest = &rest[consumed..];
    }
    if default {
        if !scopes.is_empty() {
            return Err(Error::invalid(
                "Scopes",
                ".default asks for every permission configured on the app and can't be combined with specific scopes; use one or the other",
            ));
        }
        scopes.insert(DEFAULT_SCOPE.to_string());
    }
    Ok(ScopeSet(scopes))
}

/// The Entra ID form: each scope prefixed with the Azure DevOps resource id,
/// plus `offline_access` so a refresh token is issued. `.default` stays alone.
pub fn to_entra(scopes: &ScopeSet) -> Vec<String> {
    let mut out: Vec<String> = scopes.iter().map(|s| format!("{ADO_RESOURCE}/{s}")).collect();
    out.push("offline_access".to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &str) -> Vec<String> {
        parse_scopes(s).unwrap().iter().map(str::to_string).collect()
    }

    #[test]
    fn accepts_every_separator_and_any_case() {
        assert_eq!(scopes("vso.work vso.code"), ["vso.code", "vso.work"]);
        assert_eq!(scopes("vso.work,vso.code"), ["vso.code", "vso.work"]);
        assert_eq!(scopes("vso.work; vso.code\nvso.project\r\n"), ["vso.code", "vso.project", "vso.work"]);
        assert_eq!(scopes("VSO.Work_Full"), ["vso.work_full"]);
        assert_eq!(scopes("vso.memberEntitlementManagement"), ["vso.memberentitlementmanagement"]);
    }

    #[test]
    fn accepts_registration_page_names_with_commas_inside() {
        assert_eq!(scopes("Work items (full)"), ["vso.work_full"]);
        assert_eq!(scopes("Code (read, write, and manage), work items (READ)"), ["vso.code_manage", "vso.work"]);
        assert_eq!(scopes("Code (read)\nCode (read and write)"), ["vso.code", "vso.code_write"]);
    }

    #[test]
    fn accepts_entra_prefixed_forms_and_drops_oidc_scopes() {
        assert_eq!(scopes("499b84ac-1321-427f-aa17-267ca6975798/vso.work offline_access openid"), ["vso.work"]);
        assert_eq!(scopes("https://app.vssps.visualstudio.com/user_impersonation"), ["user_impersonation"]);
        let d = parse_scopes("499B84AC-1321-427F-AA17-267CA6975798/.default").unwrap();
        assert!(d.is_default());
    }

    #[test]
    fn deduplicates() {
        assert_eq!(scopes("vso.work vso.work Work items (read)"), ["vso.work"]);
    }

    #[test]
    fn unknown_token_is_named_with_suggestions() {
        let err = parse_scopes("vso.work vso.wrok_full").unwrap_err();
        match err {
            Error::UnknownScope { token, suggestions } => {
                assert_eq!(token, "vso.wrok_full");
                assert!(suggestions.iter().any(|s| s == "vso.work_full"), "{suggestions:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn too_long_input_is_refused() {
        let long = "vso.work ".repeat(2_000);
        assert!(matches!(parse_scopes(&long), Err(Error::ScopeInputTooLong { limit: 10_000, .. })));
    }

    #[test]
    fn default_cannot_be_mixed() {
        assert!(parse_scopes(".default vso.work").is_err());
    }

    #[test]
    fn blank_is_a_valid_empty_set() {
        assert!(parse_scopes("  \n ").unwrap().is_empty());
    }

    #[test]
    fn retired_scopes_parse_and_are_flagged() {
        let s = parse_scopes("vso.chat_write vso.work").unwrap();
        assert_eq!(s.retired(), ["vso.chat_write"]);
    }

    #[test]
    fn to_entra_prefixes_and_adds_offline_access() {
        let s = parse_scopes("vso.work_full vso.project").unwrap();
        assert_eq!(
            to_entra(&s),
            [format!("{ADO_RESOURCE}/vso.project"), format!("{ADO_RESOURCE}/vso.work_full"), "offline_access".to_string()]
        );
        let d = parse_scopes(".default").unwrap();
        assert_eq!(to_entra(&d), [format!("{ADO_RESOURCE}/.default"), "offline_access".to_string()]);
    }

    #[test]
    fn grants_follows_inclusion_and_user_impersonation() {
        let s = parse_scopes("vso.work_full").unwrap();
        assert!(s.grants("vso.work") && s.grants("vso.profile"));
        assert!(!s.grants("vso.auditlog"));
        assert!(parse_scopes("user_impersonation").unwrap().grants("vso.auditlog"));
    }

    #[test]
    fn serializes_as_the_oauth_string() {
        let s = parse_scopes("vso.work vso.code").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"vso.code vso.work\"");
        let back: ScopeSet = serde_json::from_str("\"vso.code vso.work\"").unwrap();
        assert_eq!(back, s);
    }
}
