use std::sync::Arc;

use connector_core::console::{About, KeychainStatus};
use connector_core::Console;
use tauri::State;

#[tauri::command]
pub fn app_info(console: State<'_, Arc<Console>>) -> About {
    console.about()
}

#[tauri::command]
pub async fn keychain_status(console: State<'_, Arc<Console>>) -> Result<KeychainStatus, ()> {
    Ok(console.keychain_status().await)
}
