//! Running a sign-in in the shell.
//!
//! Embedded (legacy, or Entra by choice): an app window opens on Microsoft's
//! authorize URL. The redirect (`https://<service domain>/connector/callback`,
//! or Entra's `http://localhost:<port>/`) is never loaded: its navigation is
//! intercepted, the `code` and `state` go to the core, and the window closes.
//! The window matches no capability, so the pages in it get no IPC at all.
//!
//! Browser (Entra's default): the system browser opens the authorize URL (the
//! OS opener, which honours `BROWSER` on Linux) and the answer arrives at the
//! core's one-shot loopback listener.

use std::time::Duration;

use connector_core::installations::InstallInput;
use connector_core::oauth::callback::is_callback;
use connector_core::signin::{Abort, Flow, SignIn, SignInStart, SignedIn};
use connector_core::{Error, Result};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tokio::sync::{mpsc, Notify};

/// The main window's Cancel for a browser sign-in, which has no window to close.
#[derive(Default)]
pub struct BrowserCancel(Notify);

pub const LABEL: &str = "sign-in";

enum Outcome {
    Callback(String),
    Closed,
}

fn window_error(e: impl std::fmt::Display) -> Error {
    Error::SignInWindowFailed { detail: e.to_string() }
}

/// Runs one sign-in from start to finish and returns its result.
pub async fn sign_in(app: &AppHandle, sign_in: &SignIn, input: InstallInput) -> Result<SignedIn> {
    let mut start = sign_in.begin(&input).await?;
    match start.flow {
        Flow::Embedded => embedded(app, sign_in, start).await,
        Flow::Browser => {
            let Some(loopback) = start.loopback.take() else {
                sign_in.abort(&start.attempt, Abort::WindowClosed);
                return Err(Error::Internal { detail: "a browser sign-in started without its loopback listener".into() });
            };
            if let Err(e) = open::that_detached(start.authorize_url.as_str()) {
                sign_in.abort(&start.attempt, Abort::WindowClosed);
                return Err(Error::BrowserFailed { detail: e.to_string() });
            }
            let cancel = app.state::<BrowserCancel>();
            let wait = tokio::time::timeout(Duration::from_secs(start.timeout_secs), sign_in.await_loopback(&start.attempt, loopback));
            tokio::select! {
                answer = wait => match answer {
                    Ok(Some(url)) => sign_in.finish(&start.attempt, &url).await,
                    Ok(None) => Err(sign_in.abort(&start.attempt, Abort::WindowClosed)),
                    Err(_) => Err(sign_in.abort(&start.attempt, Abort::TimedOut)),
                },
                _ = cancel.0.notified() => Err(sign_in.abort(&start.attempt, Abort::WindowClosed)),
            }
        }
    }
}

async fn embedded(app: &AppHandle, sign_in: &SignIn, start: SignInStart) -> Result<SignedIn> {
    let callback = url::Url::parse(&start.callback_url).map_err(window_error)?;
    let authorize = url::Url::parse(&start.authorize_url).map_err(window_error)?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let on_nav = tx.clone();
    let built = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::External(authorize))
        .title("Sign in with Microsoft — Connector Console")
        .inner_size(540.0, 720.0)
        // The run's private webview folder (see webview_data.rs), never the app's data folder.
        .data_directory(app.state::<crate::webview_data::WebviewData>().path().to_path_buf())
        .on_navigation(move |url| {
            if is_callback(url, &callback) {
                let _ = on_nav.send(Outcome::Callback(url.to_string()));
                return false;
            }
            true
        })
        .build();
    let window = match built {
        Ok(w) => w,
        Err(e) => {
            sign_in.abort(&start.attempt, Abort::WindowClosed);
            return Err(window_error(e));
        }
    };
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Destroyed) {
            let _ = tx.send(Outcome::Closed);
        }
    });
    let outcome = tokio::time::timeout(Duration::from_secs(start.timeout_secs), rx.recv()).await;
    // Whatever happened, the window's job is done.
    let _ = window.destroy();
    match outcome {
        Ok(Some(Outcome::Callback(url))) => sign_in.finish(&start.attempt, &url).await,
        Ok(Some(Outcome::Closed)) | Ok(None) => Err(sign_in.abort(&start.attempt, Abort::WindowClosed)),
        Err(_) => Err(sign_in.abort(&start.attempt, Abort::TimedOut)),
    }
}

/// The main window's Cancel: closing the window (or, for a browser sign-in,
/// stopping the wait) ends the sign-in as cancelled.
pub fn cancel(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(LABEL) {
        let _ = w.destroy();
    }
    app.state::<BrowserCancel>().0.notify_waiters();
}
