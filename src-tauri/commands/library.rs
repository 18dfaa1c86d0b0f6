use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::model::connectors::AuthKind;
use connector_core::model::library_entry::{EntryInput, ExportedEntry};
use connector_core::services::library::{ConnectorView, Library, Rotation, RotationOutcome, SaveOutcome};
use connector_core::services::migration::{EntraEntryInput, LegacyApp, Migration, RegistrationGuide};
use connector_core::{Error, Secret};
use tauri::{AppHandle, Manager, State};

use super::error::Answer;

#[tauri::command]
pub fn library_list(library: State<'_, Arc<Library>>) -> Vec<ConnectorView> {
    library.list()
}

#[tauri::command]
pub async fn library_save(library: State<'_, Arc<Library>>, input: EntryInput) -> Answer<SaveOutcome> {
    Ok(library.save(input).await?)
}

/// A shared legacy app's next Client Secret: every installation is renewed with it, then it
/// becomes the entry's secret (`expires`: its date, `YYYY-MM-DD`).
#[tauri::command]
pub async fn library_rotate_secret(
    rotation: State<'_, Arc<Rotation>>,
    connector: String,
    secret: Secret,
    expires: Option<String>,
) -> Answer<RotationOutcome> {
    Ok(rotation.rotate(&connector, secret, expires).await?)
}

/// The redirect URI the form shows for what is typed now (the core fills the template, once).
#[tauri::command]
pub fn library_redirect_uri(
    library: State<'_, Arc<Library>>,
    connector: String,
    auth_type: String,
    values: BTreeMap<String, String>,
) -> Answer<Option<String>> {
    Ok(library.redirect_uri(&connector, &auth_type, &values)?)
}

/// A policy-managed entry's Client Secret, entered once on this machine.
#[tauri::command]
pub async fn library_save_secret(library: State<'_, Arc<Library>>, connector: String, secret: Secret) -> Answer<ConnectorView> {
    Ok(library.save_managed_secret(&connector, secret).await?)
}

#[tauri::command]
pub async fn library_clear(library: State<'_, Arc<Library>>, connector: String) -> Answer<ConnectorView> {
    Ok(library.clear(&connector).await?)
}

#[tauri::command]
pub fn library_export(library: State<'_, Arc<Library>>, connector: String) -> Answer<String> {
    Ok(library.export(&connector)?)
}

/// Saves the export in the user's Downloads folder (or home) and returns the path.
#[tauri::command]
pub async fn library_export_file(app: AppHandle, library: State<'_, Arc<Library>>, connector: String) -> Answer<String> {
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(|e| Error::Internal { detail: e.to_string() })?;
    Ok(library.export_file(&connector, &dir).map(|p| p.display().to_string())?)
}

#[tauri::command]
pub fn library_import(library: State<'_, Arc<Library>>, text: String) -> Answer<ExportedEntry> {
    Ok(library.import(&text)?)
}

/// Opens Microsoft's registration page for an auth type in the system browser.
/// The URL comes from the connector manifest, never from the page.
#[tauri::command]
pub fn open_registration_page(library: State<'_, Arc<Library>>, connector: String, auth_type: AuthKind) -> Answer<()> {
    let url = library.registration_url(&connector, auth_type)?;
    open::that_detached(url).map_err(|e| Error::OpenFailed { url: url.to_string(), detail: e.to_string() })?;
    Ok(())
}

/// What to register in Entra ID to replace a legacy app (the Library's or an installation's own).
#[tauri::command]
pub async fn migration_guide(migration: State<'_, Arc<Migration>>, of: LegacyApp) -> Answer<RegistrationGuide> {
    Ok(migration.guide(&of).await?)
}

/// Saves the Entra app beside the connector's legacy Library entry, which stays in force.
#[tauri::command]
pub fn migration_prepare(migration: State<'_, Arc<Migration>>, input: EntraEntryInput) -> Answer<()> {
    Ok(migration.prepare(input)?)
}

/// Puts the connector's other entry in force (to Entra ID, or back to legacy).
#[tauri::command]
pub fn migration_switch(migration: State<'_, Arc<Migration>>, connector: String) -> Answer<()> {
    Ok(migration.switch(&connector)?)
}

/// Removes the legacy entry and its secret once no installation uses it.
#[tauri::command]
pub async fn migration_finish(migration: State<'_, Arc<Migration>>, connector: String) -> Answer<()> {
    Ok(migration.finish(&connector).await?)
}
