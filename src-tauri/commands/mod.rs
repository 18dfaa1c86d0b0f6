//! Tauri commands, one file per screen. Each is a one-line call into the core.

pub mod installs;
pub mod library;
pub mod scopes;
pub mod system;
