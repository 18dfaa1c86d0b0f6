//! Enough WIQL to query a project's work items: `WHERE` clauses joined by
//! `AND` on Title (`CONTAINS`), Work Item Type and State (`=`), the project
//! clause (`[System.TeamProject] = @project`, always true here), and
//! `ORDER BY [System.Id] DESC`. Anything else is refused as invalid, which
//! is stricter than the real service.

use crate::world::WorkItem;

pub struct Filter {
    clauses: Vec<(String, Op, String)>,
    pub newest_first: bool,
}

#[derive(PartialEq)]
enum Op {
    Equals,
    Contains,
}

impl Filter {
    pub fn parse(query: &str) -> Option<Self> {
        let upper = query.to_ascii_uppercase();
        let from = upper.find("FROM WORKITEMS")?;
        let after = &query[from + "FROM WORKITEMS".len()..];
        let upper_after = after.to_ascii_uppercase();
        let (where_part, order) = match upper_after.find("ORDER BY") {
            Some(i) => (&after[..i], upper_after[i..].to_string()),
            None => (after, String::new()),
        };
        let newest_first = order.contains("DESC");
        let where_part = where_part.trim();
        let mut clauses = Vec::new();
        if !where_part.is_empty() {
            let body = where_part.strip_prefix("WHERE").or_else(|| where_part.strip_prefix("where"))?.trim();
            for clause in split_and(body) {
                clauses.push(parse_clause(clause.trim())?);
            }
        }
        Some(Self { clauses, newest_first })
    }

    pub fn matches(&self, w: &WorkItem) -> bool {
        self.clauses.iter().all(|(field, op, value)| {
            let actual = match field.as_str() {
                "system.title" => &w.title,
                "system.workitemtype" => &w.work_item_type,
                "system.state" => &w.state,
                _ => return true, // the project clause
            };
            match op {
                Op::Equals => actual.eq_ignore_ascii_case(value),
                Op::Contains => actual.to_lowercase().contains(&value.to_lowercase()),
            }
        })
    }
}

fn split_and(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.to_ascii_uppercase().find(" AND ") {
        parts.push(&rest[..i]);
        rest = &rest[i + 5..];
    }
    parts.push(rest);
    parts
}

fn parse_clause(clause: &str) -> Option<(String, Op, String)> {
    let field = clause.strip_prefix('[')?.split(']').next()?.to_ascii_lowercase();
    let rest = clause.split_once(']')?.1.trim();
    let (op, value) = if let Some(v) = rest.strip_prefix('=') {
        (Op::Equals, v.trim())
    } else if rest.to_ascii_uppercase().starts_with("CONTAINS") {
        (Op::Contains, rest["CONTAINS".len()..].trim())
    } else {
        return None;
    };
    let value = if value.starts_with('@') { value.to_string() } else { value.strip_prefix('\'')?.strip_suffix('\'')?.replace("''", "'") };
    let known = ["system.title", "system.workitemtype", "system.state", "system.teamproject"];
    known.contains(&field.as_str()).then_some((field, op, value))
}
