use connector_core::console::KeychainStatus;
use connector_core::Console;
use serde::Serialize;
use tauri::State;

#[derive(Serialize)]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
    data_dir: String,
}

#[tauri::command]
pub fn app_info(console: State<'_, Console>) -> AppInfo {
    AppInfo { name: "Connector Console", version: env!("CARGO_PKG_VERSION"), data_dir: console.data_dir().display().to_string() }
}

#[tauri::command]
pub async fn keychain_status(console: State<'_, Console>) -> Result<KeychainStatus, ()> {
    Ok(console.keychain_status().await)
}
