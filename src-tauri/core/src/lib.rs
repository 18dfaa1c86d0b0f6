//! Connector Console's core: everything that is not a window.
//!
//! This crate must never depend on Tauri, so its tests build and run without WebKit.

pub mod azure_devops;
pub mod connectors;
pub mod console;
pub mod endpoints;
pub mod error;
pub mod http;
pub mod installations;
pub mod keychain;
pub mod library;
pub mod lifecycle;
pub mod oauth;
pub mod scopes;
pub mod secret;
pub mod settings;
pub mod signin;
pub mod validate;

pub use console::Console;
pub use error::{Error, Result, UiError};
pub use secret::Secret;
