use std::sync::Arc;

use connector_core::services::context::{About, Context};
use serde::Serialize;
use tauri::State;

use super::error::UiError;
use ts_rs::TS;

/// What the UI shows about the keychain: usable, or why not and what to do.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeychainStatus {
    pub available: bool,
    pub error: Option<UiError>,
}

#[tauri::command]
pub fn app_info(state: State<'_, Arc<Context>>) -> About {
    state.about()
}

#[tauri::command]
pub async fn keychain_status(state: State<'_, Arc<Context>>) -> Result<KeychainStatus, ()> {
    let error = state.keychain_check().await.err().map(UiError::from);
    Ok(KeychainStatus { available: error.is_none(), error })
}
