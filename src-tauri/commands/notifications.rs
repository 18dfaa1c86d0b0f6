use std::sync::Arc;

use connector_core::services::notifications::{NotificationSetting, Notifications};
use tauri::State;

use super::error::Answer;

/// The "Desktop notifications" checkbox: the user's choice, and whether policy turned them off.
#[tauri::command]
pub fn notifications_get(notifications: State<'_, Arc<Notifications>>) -> NotificationSetting {
    notifications.setting()
}

#[tauri::command]
pub async fn notifications_set(notifications: State<'_, Arc<Notifications>>, enabled: bool) -> Answer<()> {
    Ok(notifications.set_enabled(enabled)?)
}
