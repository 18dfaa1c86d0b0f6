use std::sync::Arc;

use connector_core::console::ScopeReport;
use connector_core::scopes::ScopeInfo;
use connector_core::{Console, UiError};
use tauri::State;

#[tauri::command]
pub fn scope_catalog(console: State<'_, Arc<Console>>) -> &'static [ScopeInfo] {
    console.scope_catalog()
}

#[tauri::command]
pub fn scope_report(console: State<'_, Arc<Console>>, text: String) -> Result<ScopeReport, UiError> {
    console.scope_report(&text)
}
