//! Connector Console's core: everything that is not a window.
//!
//! This crate must never depend on Tauri, so its tests build and run without WebKit.
//! Layers, top to bottom (a module only uses those below it):
//!
//! - `app`: builds the services over one `State`
//! - services: `signin` → `installations` → `tokens`, `methods` → `tokens`, and `library`
//! - `state`: endpoints, HTTP client, keychain, settings store
//! - building blocks: `settings` (over `records`), `keychain`, `oauth`, `azure_devops`, `registration`,
//!   `connectors`, `scopes`, `validate`, `http`, `secret`, `notice`, `error`

pub mod app;
pub mod azure_devops;
pub mod connectors;
pub mod diagnostics;
pub mod endpoints;
pub mod error;
pub mod filelock;
pub mod http;
pub mod installations;
#[cfg(unix)]
pub mod instance;
pub mod keychain;
pub mod library;
pub mod library_entry;
pub mod methods;
pub mod new_file;
pub mod notice;
pub mod oauth;
pub mod policy;
pub mod private_dir;
pub mod records;
pub mod registration;
pub mod scopes;
pub mod secret;
pub mod settings;
pub mod signin;
pub mod state;
pub mod tokens;
pub mod validate;

pub use app::Services;
pub use error::{Error, Result};
pub use secret::Secret;
