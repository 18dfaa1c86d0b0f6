//! The desktop shell: windows, managed state and the command list.
//! All logic lives in `connector-core`; commands only adapt.

mod commands;
mod logging;
mod sign_in_window;

use std::path::PathBuf;
use std::sync::Arc;

use connector_core::endpoints::Endpoints;
use connector_core::Console;
use tauri::{Emitter, Manager};

/// Where settings and logs go. `CONNECTOR_CONSOLE_DATA_DIR` overrides the
/// platform default, so a portable install or a test can use its own folder.
fn data_dir(app: &tauri::App) -> PathBuf {
    match std::env::var_os("CONNECTOR_CONSOLE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => app.path().app_data_dir().expect("the OS gives no app data directory"),
    }
}

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .manage(sign_in_window::BrowserCancel::default())
        .setup(|app| {
            let dir = data_dir(app);
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
            let console = Arc::new(Console::open(dir, endpoints));
            app.manage(console.clone());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                // The keychain self-test first, so the banner appears without waiting for a click.
                console.keychain().await.ok();
                // Status changes go to the main window as they happen; it never polls.
                let mut events = console.subscribe();
                console.start_refresher();
                while let Ok(event) = events.recv().await {
                    let _ = handle.emit_to("main", "installation-status", &event);
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::system::app_info,
            commands::system::keychain_status,
            commands::scopes::scope_catalog,
            commands::scopes::scope_report,
            commands::library::library_list,
            commands::library::library_save,
            commands::library::library_clear,
            commands::library::library_export,
            commands::library::library_export_file,
            commands::library::library_import,
            commands::library::open_registration_page,
            commands::installs::installations_list,
            commands::installs::install_preflight,
            commands::installs::sign_in,
            commands::installs::sign_in_cancel,
            commands::installs::installation_test,
            commands::installs::installation_uninstall,
            commands::installs::entra_embedded_set,
            commands::installs::sign_in_timeout_get,
            commands::installs::sign_in_timeout_set,
        ])
        .run(tauri::generate_context!())
        .expect("Connector Console failed to start");
}
