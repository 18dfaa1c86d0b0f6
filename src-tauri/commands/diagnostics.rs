use std::sync::Arc;

use connector_core::services::context::Context;
use connector_core::services::diagnostics::{self, Environment};
use connector_core::services::tokens::Tokens;
use connector_core::Error;
use tauri::{AppHandle, Manager, State};

use super::error::Answer;

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string())));
    format!("{} ({} {})", pretty.unwrap_or_else(|| std::env::consts::OS.to_string()), std::env::consts::OS, std::env::consts::ARCH)
}

/// Where diagnostics are saved: Downloads, or home without one.
fn folder(app: &AppHandle) -> Result<std::path::PathBuf, Error> {
    app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(|e| Error::Internal { detail: e.to_string() })
}

/// Saves a redacted diagnostics bundle in Downloads (or home); returns its path.
#[tauri::command]
pub async fn diagnostics_save(app: AppHandle, state: State<'_, Arc<Context>>, tokens: State<'_, Arc<Tokens>>) -> Answer<String> {
    let env = Environment {
        os: os_name(),
        webview: tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
        log_file: state.data_dir().join("logs").join("connector-console.log"),
    };
    let text = diagnostics::bundle(&state, &tokens, &env).await;
    Ok(diagnostics::save(&folder(&app)?, &text).map(|p| p.display().to_string())?)
}

/// Opens the folder diagnostics are saved in, in the file manager. The folder is the
/// shell's own, never a path from the page.
#[tauri::command]
pub fn diagnostics_show_folder(app: AppHandle) -> Answer<()> {
    let dir = folder(&app)?;
    open::that_detached(&dir).map_err(|e| Error::OpenFailed { url: dir.display().to_string(), detail: e.to_string() })?;
    Ok(())
}
