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

/// Saves a redacted diagnostics bundle in Downloads (or home); returns its path.
#[tauri::command]
pub async fn diagnostics_save(app: AppHandle, state: State<'_, Arc<Context>>, tokens: State<'_, Arc<Tokens>>) -> Answer<String> {
    let env = Environment {
        os: os_name(),
        webview: tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
        log_file: state.data_dir().join("logs").join("connector-console.log"),
    };
    let text = diagnostics::bundle(&state, &tokens, &env).await;
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(|e| Error::Internal { detail: e.to_string() })?;
    Ok(diagnostics::save(&dir, &text).map(|p| p.display().to_string())?)
}
