//! The services, over one `Context` (endpoints, HTTP client, keychain, settings):
//! sign-in, installations, tokens, methods, the library and diagnostics. The
//! Tauri shell and the command line call only these.

pub mod app_choice;
pub mod context;
pub mod diagnostics;
pub mod installations;
pub mod library;
pub mod methods;
pub mod migration;
pub mod notifications;
pub mod signin;
pub mod tokens;
