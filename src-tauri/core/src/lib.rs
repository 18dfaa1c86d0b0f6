//! Connector Console's core: everything that is not a window.
//!
//! This crate must never depend on Tauri, so its tests build and run without WebKit.
//! The folders are the layers, bottom to top (a layer uses only those below it;
//! `tests/architecture.rs` enforces it):
//!
//! 1. leaves: `error`, `secret`, `notice`, `sync`
//! 2. `model/`: connectors, scopes, validation, registrations, library entries, installations
//! 3. beside each other, never using one another: `microsoft/` (endpoints, HTTP, OAuth,
//!    Azure DevOps) and `store/` (settings, keychain, policy, files and locks)
//! 4. `services/`: context, app_choice, sign-in, installations, tokens, methods, library
//!    (and its secret rotation), migration, diagnostics
//! 5. `app`: builds the services over one `Context`

pub mod error;
pub mod notice;
pub mod secret;
pub mod sync;

pub mod model;

pub mod microsoft;
pub mod store;

pub mod services;

pub mod app;

pub use app::Services;
pub use error::{Error, Result};
pub use secret::Secret;
