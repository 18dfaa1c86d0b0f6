use connector_core::model::install_link::InstallLink;
use tauri::State;

use super::error::Answer;
use crate::install_link::PendingLink;

/// The install link the window was given and has not opened yet, parsed; none when there is
/// none, and the parse's error (said on screen) when it can't be used.
#[tauri::command]
pub fn install_link_take(pending: State<'_, PendingLink>) -> Answer<Option<InstallLink>> {
    Ok(pending.take().map(|text| InstallLink::parse(&text)).transpose()?)
}
