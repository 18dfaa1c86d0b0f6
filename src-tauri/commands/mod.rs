//! Tauri commands, one file per screen. Each is a one-line call into a core
//! service; errors become `{code, message, hint}` here (`error.rs`) and nowhere else.
//! `build.rs` finds every `#[tauri::command]` in these files: that is the one
//! list of commands (handler, permissions and the main window's capability).

pub mod diagnostics;
pub mod error;
pub mod installs;
pub mod library;
pub mod methods;
pub mod scopes;
pub mod system;
