//! Connector Console's core: everything that is not a window.
//!
//! This crate must never depend on Tauri, so its tests build and run without WebKit.

pub mod console;
pub mod error;
pub mod keychain;
pub mod scopes;
pub mod secret;

pub use console::Console;
pub use error::{Error, Result, UiError};
pub use secret::Secret;
