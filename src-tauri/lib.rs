//! The desktop shell: windows, managed state and the command list.
//! All logic lives in `connector-core`; commands only adapt.

mod commands;
mod logging;
mod sign_in_window;

use std::path::PathBuf;

use connector_core::endpoints::Endpoints;
use connector_core::tokens::{self, Update};
use connector_core::Services;
use tauri::{Emitter, Manager};

/// Where settings and logs go. `CONNECTOR_CONSOLE_DATA_DIR` overrides the
/// platform default, so a portable install or a test can use its own folder.
fn data_dir(app: &tauri::App) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os("CONNECTOR_CONSOLE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .manage(sign_in_window::BrowserCancel::default())
        .manage(commands::methods::MethodRuns::default())
        .setup(|app| {
            let dir = data_dir(app)?;
            std::fs::create_dir_all(&dir)?;
            logging::init(&dir)?;
            tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %dir.display(), "starting");
            // A bad override must stop the app: silently falling back to real
            // Microsoft (or to nothing) would hide where requests go.
            let endpoints = Endpoints::from_env().map_err(|e| {
                tracing::error!(error = %e, "invalid endpoint override");
                eprintln!("Connector Console: {e}. {}", e.hint());
                e
            })?;
            let services = Services::open(dir, endpoints);
            let (state, tokens) = (services.state.clone(), services.tokens.clone());
            app.manage(services.state);
            app.manage(services.library);
            app.manage(services.installations);
            app.manage(services.sign_in);
            app.manage(services.tokens);
            app.manage(services.methods);
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                // The keychain self-test first, so the banner appears without waiting for a click.
                state.keychain_check().await.ok();
                // Status changes go to the main window as they happen; it never polls.
                // A burst larger than the channel becomes one "resync": the window re-reads the list.
                let events = tokens.subscribe();
                tokens.start_refresher();
                tokens::forward(events, |update| {
                    let _ = match update {
                        Update::Event(event) => handle.emit_to("main", "installation-status", &event),
                        Update::Resync { .. } => handle.emit_to("main", "installations-resync", ()),
                    };
                })
                .await;
            });
            Ok(())
        })
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        .run(tauri::generate_context!())
        .expect("Connector Console failed to start");
}
