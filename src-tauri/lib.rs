//! The desktop shell: windows, managed state and the command list.
//! All logic lives in `connector-core`; commands only adapt.

mod boot_data;
mod commands;
mod install_link;
mod logging;
mod notify;
mod sign_in_window;
mod single_instance;
mod webview_data;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::store::instance::Request;
use connector_core::store::paths;
use std::sync::Arc;

use connector_core::services::tokens::{self, Tokens, Update};
use connector_core::Services;
use tauri::{Emitter, Manager};

/// Command-line runs refresh and mark installations too: when the settings
/// file changes under the window, it re-reads it and the list resyncs.
/// A stat every two seconds costs nothing and needs no platform file watcher.
fn watch_other_processes(tokens: Arc<Tokens>, handle: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            tick.tick().await;
            match tokens.catch_up() {
                Ok(true) => {
                    let _ = handle.emit_to("main", "installations-resync", ());
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not re-read the settings file another process saved"),
            }
        }
    });
}

/// New tokens the keychain refused are the only good ones (rotation replaced the old ones at
/// Microsoft): one more try before the process ends, bounded so a keychain prompt nobody
/// answers can't hold the exit. What is still unsaved goes to the log, by installation.
fn save_pending_tokens(tokens: &Tokens) {
    let bounded = tokio::time::timeout(std::time::Duration::from_secs(10), tokens.save_pending());
    match tauri::async_runtime::block_on(bounded) {
        Ok(unsaved) => {
            for (i, e) in unsaved {
                tracing::error!(installation = %i.id, error = %e, "new tokens could not be saved before exit and are lost");
            }
        }
        Err(_) => tracing::error!("saving new tokens at exit took over 10 s; they are lost"),
    }
}

/// SIGTERM (a logout, `kill`, a service manager), SIGHUP and Ctrl+C would end the process
/// without Tauri's Exit event, and new tokens the keychain refused would die with it:
/// they end the app through that event instead, which saves them.
#[cfg(unix)]
fn exit_through_the_exit_event_when_asked(handle: tauri::AppHandle) {
    use tokio::signal::unix::{signal, SignalKind};
    tauri::async_runtime::spawn(async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) =
            (signal(SignalKind::terminate()), signal(SignalKind::hangup()), signal(SignalKind::interrupt()))
        else {
            tracing::warn!("no signal handler: a logout would not save pending tokens");
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
        }
        tracing::info!("asked to stop; exiting through the Exit event");
        handle.exit(0);
    });
}

/// Opens the window; `link` is an install link it was started with (the desktop's URL handler).
pub fn run(link: Option<String>) {
    let started = std::time::Instant::now();
    // First: a second launch on the same data folder hands over to the window (its link too) and exits.
    let request = link.clone().map_or(Request::Activate, Request::Open);
    let launch = single_instance::claim_or_exit(&request);
    tauri::Builder::default()
        .manage(commands::methods::MethodRuns::default())
        .manage(install_link::PendingLink::new(link))
        .setup(move |app| {
            let dir = paths::data_dir().ok_or("the OS gives no data directory; set CONNECTOR_CONSOLE_DATA_DIR")?;
            connector_core::store::private_dir::create(&dir)?;
            logging::init(&dir)?;
            tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %dir.display(), "starting");
            match launch {
                single_instance::Launch::First(first) => {
                    let handle = app.handle().clone();
                    first.serve(move |request| single_instance::handed_over(&handle, request))?;
                }
                single_instance::Launch::Unguarded(why) => tracing::warn!(%why, "running without the one-window check"),
            }
            // A bad override must stop the app: silently falling back to real
            // Microsoft (or to nothing) would hide where requests go.
            let endpoints = Endpoints::from_env().map_err(|e| {
                tracing::error!(error = %e, "invalid endpoint override");
                eprintln!("Connector Console: {e}. {}", e.hint());
                e
            })?;
            // The services first (reading the settings file; the keychain opens later, off this
            // thread): the window is handed its first screen's data when it is built, so the
            // page awaits no command for it (boot_data.rs).
            let services = Services::open(dir, endpoints);
            tracing::debug!(elapsed_ms = started.elapsed().as_millis(), "services open");
            let webviews = webview_data::WebviewData::create()?;
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::default())
                .title("Connector Console")
                .inner_size(1100.0, 780.0)
                .min_inner_size(720.0, 520.0)
                .data_directory(webviews.path().to_path_buf())
                .initialization_script(boot_data::script(
                    services.state.about(),
                    services.library.list(),
                    services.state.settings.get().installations.len(),
                ))
                .build()?;
            tracing::debug!(elapsed_ms = started.elapsed().as_millis(), "main window created");
            let (state, tokens) = (services.state.clone(), services.tokens.clone());
            app.manage(services.state);
            app.manage(services.library);
            app.manage(services.rotation);
            app.manage(services.installations);
            app.manage(services.sign_in);
            app.manage(services.tokens);
            app.manage(services.methods);
            app.manage(services.migration);
            let notifications = services.notifications.clone();
            app.manage(services.notifications);
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                // The keychain self-test first, so the banner appears without waiting for a click.
                state.keychain_check().await.ok();
                // Status changes go to the main window as they happen; it never polls.
                // A burst larger than the channel becomes one "resync": the window re-reads the list.
                let events = tokens.subscribe();
                // Needs re-auth and expiring secrets outside the window: the core decides, notify.rs shows.
                tauri::async_runtime::spawn(notifications.run(tokens.subscribe(), notify::show));
                tokens.start_refresher();
                watch_other_processes(tokens.clone(), handle.clone());
                tokens::forward(events, |update| {
                    let _ = match update {
                        Update::Event(event) => handle.emit_to("main", "installation-status", &event),
                        Update::Resync { .. } => handle.emit_to("main", "installations-resync", ()),
                    };
                })
                .await;
            });
            app.manage(webviews);
            #[cfg(unix)]
            exit_through_the_exit_event_when_asked(app.handle().clone());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("Connector Console failed to start")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(tokens) = app.try_state::<Arc<Tokens>>() {
                    save_pending_tokens(&tokens);
                }
                if let Some(webviews) = app.try_state::<webview_data::WebviewData>() {
                    webviews.remove();
                }
            }
        });
}
