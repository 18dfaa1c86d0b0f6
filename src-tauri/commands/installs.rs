use connector_core::installations::{InstallInput, Installation};
use connector_core::signin::{Preflight, SignedIn};
use connector_core::{Console, UiError};
use tauri::{AppHandle, State};

use crate::sign_in_window;

#[tauri::command]
pub fn installations_list(console: State<'_, Console>) -> Vec<Installation> {
    console.installations()
}

#[tauri::command]
pub fn install_preflight(console: State<'_, Console>, input: InstallInput) -> Result<Preflight, UiError> {
    console.install_preflight(&input)
}

#[tauri::command]
pub async fn sign_in(app: AppHandle, console: State<'_, Console>, input: InstallInput) -> Result<SignedIn, UiError> {
    sign_in_window::sign_in(&app, &console, input).await
}

#[tauri::command]
pub fn sign_in_cancel(app: AppHandle) {
    sign_in_window::cancel(&app)
}
