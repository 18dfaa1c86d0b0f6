//! A method's form values, checked against the manifest's inputs: required
//! ones present, defaults filled in, ids parsed. Each problem names its field.

use std::collections::BTreeMap;

use crate::error::{Error, FieldError, Result};
use crate::model::connectors::{Method, MethodId};

/// The most ids one "Get work items" takes (read 200 per request).
const MAX_IDS_PER_RUN: usize = 10_000;
/// Azure DevOps refuses a WIQL query longer than 32K characters (Learn, wiql-syntax):
/// said before sending, on the field.
pub const MAX_WIQL_CHARS: usize = 32_768;

#[derive(Debug)]
pub struct Inputs {
    values: BTreeMap<String, String>,
    /// "Get work items": the ids, parsed.
    pub ids: Vec<u64>,
}

impl Inputs {
    pub fn text(&self, id: &str) -> String {
        self.values.get(id).cloned().unwrap_or_default()
    }
}

fn looks_like_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[5..7].iter().chain(&b[8..10]).all(u8::is_ascii_digit)
}

pub fn parse(method: &Method, given: &BTreeMap<String, String>) -> Result<Inputs> {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for input in &method.inputs {
        let raw = given.get(&input.id).map(|v| v.trim()).unwrap_or("");
        let value = if raw.is_empty() { input.default.trim() } else { raw };
        if value.is_empty() && input.required {
            errors.push(FieldError::new(input.id.clone(), format!("{} is required.", input.label)));
        }
        values.insert(input.id.clone(), value.to_string());
    }
    let mut ids = Vec::new();
    if method.id == MethodId::GetWorkItem {
        let raw = values.get("ids").cloned().unwrap_or_default();
        for part in raw.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()) {
            match part.parse::<u64>() {
                Ok(n) if n > 0 => ids.push(n),
                _ => {
                    errors.push(FieldError::new("ids", format!("\"{part}\" is not a work item id: use numbers such as 1, 2, 3.")));
                    break;
                }
            }
        }
        if ids.len() > MAX_IDS_PER_RUN {
            errors.push(FieldError::new("ids", format!("Ask for at most {MAX_IDS_PER_RUN} ids at a time.")));
        }
    }
    if method.id == MethodId::ListWorkItems {
        let chars = values.get("wiql").map(|q| q.chars().count()).unwrap_or(0);
        if chars > MAX_WIQL_CHARS {
            errors.push(FieldError::new("wiql", format!("The query is {chars} characters long; Azure DevOps takes at most {MAX_WIQL_CHARS}. Shorten it, e.g. with fewer conditions or an IN list of fewer values.")));
        }
    }
    if method.id == MethodId::QueryAuditLog {
        for id in ["start", "end"] {
            let v = values.get(id).map(String::as_str).unwrap_or("");
            if !v.is_empty() && !looks_like_date(v) {
                errors.push(FieldError::new(id, "Use an ISO 8601 date or time, e.g. 2026-11-01 or 2026-11-01T08:00:00Z."));
            }
        }
    }
    if errors.is_empty() {
        Ok(Inputs { values, ids })
    } else {
        Err(Error::Fields(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::connectors::azure_devops;

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_fill_in_and_required_fields_are_named() {
        let m = azure_devops();
        let query = parse(m.method(MethodId::ListWorkItems).unwrap(), &BTreeMap::new()).unwrap();
        assert!(query.text("wiql").contains("@project"));
        let create = parse(m.method(MethodId::CreateWorkItem).unwrap(), &given(&[("title", " ")])).unwrap_err();
        assert_eq!(create.fields()[0].field, "title");
    }

    #[test]
    fn ids_are_parsed_from_any_separator_and_bad_ones_named() {
        let get = azure_devops().method(MethodId::GetWorkItem).unwrap();
        assert_eq!(parse(get, &given(&[("ids", "1, 2 3,,4")])).unwrap().ids, [1, 2, 3, 4]);
        let bad = parse(get, &given(&[("ids", "1, two")])).unwrap_err();
        assert!(bad.fields()[0].message.contains("\"two\""));
        let audit = azure_devops().method(MethodId::QueryAuditLog).unwrap();
        assert_eq!(parse(audit, &given(&[("start", "yesterday")])).unwrap_err().fields()[0].field, "start");
        assert!(parse(audit, &given(&[("start", "2026-11-01")])).is_ok());
    }

    #[test]
    fn a_wiql_query_over_32k_characters_is_refused_before_sending() {
        let method = azure_devops().methods.iter().find(|m| m.id == MethodId::ListWorkItems).unwrap();
        let at_limit =
            BTreeMap::from([("wiql".to_string(), format!("SELECT [System.Id] FROM WorkItems{}", " ".repeat(MAX_WIQL_CHARS - 34)))]);
        assert!(parse(method, &at_limit).is_ok());
        let over = BTreeMap::from([("wiql".to_string(), "x".repeat(MAX_WIQL_CHARS + 1))]);
        let err = parse(method, &over).unwrap_err();
        assert!(err.fields().iter().any(|f| f.field == "wiql" && f.message.contains("32768")), "{:?}", err.fields());
    }
}
