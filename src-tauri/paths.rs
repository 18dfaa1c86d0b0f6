//! Where the app keeps its data, the same for the window and the command line:
//! `CONNECTOR_CONSOLE_DATA_DIR`, else the OS data folder + the bundle identifier
//! (what Tauri's `app_data_dir` gives, e.g. `~/.local/share/com.connectorconsole.desktop`).

use std::path::PathBuf;

pub const DATA_DIR_VAR: &str = "CONNECTOR_CONSOLE_DATA_DIR";

/// One window per data folder: launches on the same folder are one instance
/// (a second launch focuses the first and exits); another folder (a portable
/// copy, a test) is another instance. The instance's lock file and socket
/// (`single_instance.rs`) are named with a hash of a non-default folder.
pub fn instance_id() -> String {
    let base = env!("CONNECTOR_CONSOLE_IDENTIFIER").to_string();
    match std::env::var_os(DATA_DIR_VAR).filter(|d| !d.is_empty()) {
        None => base,
        // FNV-1a: stable across builds, unlike the standard library's hasher.
        Some(dir) => {
            let hash =
                dir.as_encoded_bytes().iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
            format!("{base}.d{hash:016x}")
        }
    }
}

pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_VAR) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(env!("CONNECTOR_CONSOLE_IDENTIFIER"))),
    }
}
