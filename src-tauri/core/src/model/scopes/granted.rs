//! The scopes an installation holds, as Microsoft reported them. Microsoft may report a scope
//! the catalog doesn't know yet (a new one, or a retired one it still grants): that scope is
//! kept and shown as unknown, and it never makes the settings file unreadable or the known
//! scopes look like none.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::set::{parse_scopes, ScopeSet};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct GrantedScopes {
    known: ScopeSet,
    unknown: Vec<String>,
}

impl GrantedScopes {
    /// Reads a space-separated report (or what the settings file kept); never fails. Each word
    /// joins the known set if the set still parses with it, and is kept as unknown otherwise.
    pub fn read(text: &str) -> Self {
        if let Ok(known) = parse_scopes(text) {
            return Self { known, unknown: Vec::new() };
        }
        let (mut words, mut unknown) = (String::new(), Vec::new());
        for word in text.split_whitespace() {
            let with = format!("{words} {word}");
            match parse_scopes(&with) {
                Ok(_) => words = with,
                Err(_) => unknown.push(word.to_string()),
            }
        }
        Self { known: parse_scopes(&words).unwrap_or_default(), unknown }
    }

    /// The catalog's scopes: what decides the connector methods.
    pub fn known(&self) -> &ScopeSet {
        &self.known
    }

    /// Words Microsoft reported that the catalog doesn't know, as reported.
    pub fn unknown(&self) -> &[String] {
        &self.unknown
    }

    /// The whole report as a catalog set, when every word is in the catalog. With an unknown
    /// word it is `None`: no set this app can request equals it.
    pub fn all_known(&self) -> Option<&ScopeSet> {
        self.unknown.is_empty().then_some(&self.known)
    }
}

impl From<ScopeSet> for GrantedScopes {
    fn from(known: ScopeSet) -> Self {
        Self { known, unknown: Vec::new() }
    }
}

impl From<&str> for GrantedScopes {
    fn from(text: &str) -> Self {
        Self::read(text)
    }
}

impl From<String> for GrantedScopes {
    fn from(text: String) -> Self {
        Self::read(&text)
    }
}

impl From<GrantedScopes> for String {
    fn from(g: GrantedScopes) -> Self {
        g.to_string()
    }
}

/// Space-separated: the known scopes, then the unknown ones.
impl fmt::Display for GrantedScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.known.iter().chain(self.unknown.iter().map(String::as_str)).collect();
        f.write_str(&words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_outside_the_catalog_is_kept_as_unknown_beside_the_known_ones() {
        let g = GrantedScopes::read("vso.work_full vso.brand_new_scope vso.project");
        assert_eq!(g.known().to_string(), "vso.project vso.work_full");
        assert_eq!(g.unknown(), ["vso.brand_new_scope"]);
        assert_eq!(g.to_string(), "vso.project vso.work_full vso.brand_new_scope", "nothing lost on the way back to the file");
    }

    #[test]
    fn a_known_report_reads_as_its_scope_set() {
        let g = GrantedScopes::read("vso.work_full");
        assert_eq!((g.known().to_string().as_str(), g.unknown().len()), ("vso.work_full", 0));
    }

    #[test]
    fn only_a_report_without_unknown_words_is_a_whole_catalog_set() {
        assert_eq!(GrantedScopes::read("vso.work vso.code").all_known().map(ToString::to_string).as_deref(), Some("vso.code vso.work"));
        assert!(GrantedScopes::read("vso.work vso.brand_new_scope").all_known().is_none());
    }

    #[test]
    fn nothing_known_is_an_empty_set_with_every_word_kept() {
        let g = GrantedScopes::read("made.up another.one");
        assert!(g.known().is_empty());
        assert_eq!(g.unknown(), ["made.up", "another.one"]);
    }
}
