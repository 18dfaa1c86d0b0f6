use std::sync::Arc;

use connector_core::console::{ConnectorView, SaveOutcome};
use connector_core::library::{EntryInput, ExportedEntry};
use connector_core::{Console, UiError};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
pub fn library_list(console: State<'_, Arc<Console>>) -> Vec<ConnectorView> {
    console.library()
}

#[tauri::command]
pub async fn library_save(console: State<'_, Arc<Console>>, input: EntryInput) -> Result<SaveOutcome, UiError> {
    console.library_save(input).await
}

#[tauri::command]
pub async fn library_clear(console: State<'_, Arc<Console>>, connector: String) -> Result<ConnectorView, UiError> {
    console.library_clear(&connector).await
}

#[tauri::command]
pub fn library_export(console: State<'_, Arc<Console>>, connector: String) -> Result<String, UiError> {
    console.library_export(&connector)
}

/// Saves the export in the user's Downloads folder (or home) and returns the path.
#[tauri::command]
pub fn library_export_file(app: AppHandle, console: State<'_, Arc<Console>>, connector: String) -> Result<String, UiError> {
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir()).unwrap_or_else(|_| console.data_dir().to_path_buf());
    console.library_export_file(&connector, &dir).map(|p| p.display().to_string())
}

#[tauri::command]
pub fn library_import(console: State<'_, Arc<Console>>, text: String) -> Result<ExportedEntry, UiError> {
    console.library_import(&text)
}

/// Opens Microsoft's registration page for an auth type in the system browser.
/// The URL comes from the connector manifest, never from the page.
#[tauri::command]
pub fn open_registration_page(
    app: AppHandle,
    console: State<'_, Arc<Console>>,
    connector: String,
    auth_type: String,
) -> Result<(), UiError> {
    let url = console.registration_url(&connector, &auth_type)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| UiError::new("open_failed", format!("Could not open the browser: {e}"), format!("Open {url} yourself.")))
}
