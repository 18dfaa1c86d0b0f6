//! Where the app keeps its data, the same for the window and the command line:
//! `CONNECTOR_CONSOLE_DATA_DIR`, else the OS data folder + the bundle identifier
//! (what Tauri's `app_data_dir` gives, e.g. `~/.local/share/com.connectorconsole.desktop`).

use std::path::PathBuf;

pub const DATA_DIR_VAR: &str = "CONNECTOR_CONSOLE_DATA_DIR";

pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_VAR) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(env!("CONNECTOR_CONSOLE_IDENTIFIER"))),
    }
}
