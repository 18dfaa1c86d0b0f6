//! A scope list as the picker shows it: the exact string that will be sent,
//! page names, retired scopes, what the choice already includes, and a warning.

use serde::Serialize;

use super::{catalog, parse_scopes, recommended_scope_warning};
use crate::error::Result;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ScopeReport {
    /// The exact string that will be sent.
    pub value: String,
    pub names: Vec<String>,
    pub retired: Vec<String>,
    /// Scopes granted through inclusion, by UI name.
    pub included: Vec<String>,
    pub warning: Option<String>,
}

pub fn report(text: &str) -> Result<ScopeReport> {
    let set = parse_scopes(text)?;
    let direct: Vec<&str> = set.iter().collect();
    let included =
        set.effective().into_iter().filter(|s| !direct.contains(&s.as_str())).map(|s| catalog().name_of(&s).to_string()).collect();
    Ok(ScopeReport {
        value: set.to_string(),
        names: set.names(),
        retired: set.retired().into_iter().map(str::to_string).collect(),
        included,
        warning: (!set.is_empty()).then(|| recommended_scope_warning(&set)).flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_report_shows_value_inclusion_and_warning() {
        let r = report("Work items (full)").unwrap();
        assert_eq!(r.value, "vso.work_full");
        assert!(r.included.contains(&"Work items (read)".to_string()));
        assert!(r.warning.is_none());
        let w = report("vso.code").unwrap();
        assert!(w.warning.unwrap().contains("Work items (full)"));
        assert_eq!(report("vso.nope").unwrap_err().code(), "unknown_scope");
    }
}
