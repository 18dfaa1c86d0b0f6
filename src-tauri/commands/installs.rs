use std::sync::Arc;

use connector_core::installations::InstallInput;
use connector_core::lifecycle::InstallationView;
use connector_core::signin::{Preflight, SignedIn};
use connector_core::{Console, UiError};
use tauri::{AppHandle, State};

use crate::sign_in_window;

#[tauri::command]
pub fn installations_list(console: State<'_, Arc<Console>>) -> Vec<InstallationView> {
    console.installation_views()
}

#[tauri::command]
pub async fn installation_test(console: State<'_, Arc<Console>>, id: String) -> Result<String, UiError> {
    console.test_connection(&id).await
}

#[tauri::command]
pub async fn installation_uninstall(console: State<'_, Arc<Console>>, id: String) -> Result<(), UiError> {
    console.uninstall(&id).await
}

#[tauri::command]
pub async fn install_preflight(console: State<'_, Arc<Console>>, input: InstallInput) -> Result<Preflight, UiError> {
    console.install_preflight(&input).await
}

#[tauri::command]
pub fn sign_in_timeout_get(console: State<'_, Arc<Console>>) -> u64 {
    console.sign_in_timeout_secs()
}

#[tauri::command]
pub fn sign_in_timeout_set(console: State<'_, Arc<Console>>, minutes: u64) -> Result<(), UiError> {
    console.set_sign_in_timeout(minutes)
}

#[tauri::command]
pub fn entra_embedded_set(console: State<'_, Arc<Console>>, embedded: bool) -> Result<(), UiError> {
    console.set_entra_embedded(embedded)
}

#[tauri::command]
pub async fn sign_in(app: AppHandle, console: State<'_, Arc<Console>>, input: InstallInput) -> Result<SignedIn, UiError> {
    sign_in_window::sign_in(&app, &console, input).await
}

#[tauri::command]
pub fn sign_in_cancel(app: AppHandle) {
    sign_in_window::cancel(&app)
}
