use connector_core::model::scopes::{self, ScopeInfo, ScopeReport};

use super::error::Answer;

#[tauri::command]
pub fn scope_catalog() -> &'static [ScopeInfo] {
    scopes::catalog().entries()
}

#[tauri::command]
pub fn scope_report(text: String) -> Answer<ScopeReport> {
    Ok(scopes::report(&text)?)
}
