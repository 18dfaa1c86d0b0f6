//! One sign-in from start to finish, owned here: the attempt, the loopback,
//! the timeout, Cancel, and the abort. The shell only provides windows and
//! browsers, through `SignInWindows`; it decides nothing.
//!
//! Embedded (legacy, or Entra by choice): a window opens on Microsoft's
//! authorize URL. The redirect is never loaded: `NavigationWatch::allow` refuses
//! it and hands it here, and the window is closed.
//! Browser (Entra's default): the system browser opens the authorize URL and the
//! answer arrives at the one-shot loopback listener, which never leaves the core.

use std::time::Duration;

use tokio::sync::mpsc;
use url::Url;

use super::{Abort, Flow, Purpose, SignIn, SignedIn};
use crate::error::{Error, Result};
use crate::microsoft::oauth::callback::is_callback;
use crate::model::installation::InstallInput;

/// What an embedded sign-in window reports.
#[derive(Debug)]
enum WindowEvent {
    Callback(String),
    Closed,
}

/// Given to the shell with an embedded window: it asks `allow` before every
/// navigation and calls `closed` when the window goes away.
#[derive(Clone)]
pub struct NavigationWatch {
    callback: Url,
    events: mpsc::UnboundedSender<WindowEvent>,
}

impl NavigationWatch {
    /// Whether the window may load `url`. The redirect to the callback is refused
    /// (never loaded, so no page ever sees the code) and handed to the sign-in.
    pub fn allow(&self, url: &Url) -> bool {
        if is_callback(url, &self.callback) {
            let _ = self.events.send(WindowEvent::Callback(url.to_string()));
            return false;
        }
        true
    }

    /// The user (or anything else) closed the window.
    pub fn closed(&self) {
        let _ = self.events.send(WindowEvent::Closed);
    }
}

/// What the shell provides a sign-in: one embedded window at a time, and the
/// system browser. Errors are the platform's words, shown as details.
pub trait SignInWindows: Send + Sync {
    /// Opens the embedded sign-in window on `authorize`: no IPC, no persistent
    /// storage, every navigation checked with `watch.allow`.
    fn open_embedded(&self, authorize: &Url, watch: NavigationWatch) -> std::result::Result<(), String>;
    /// Closes the embedded window if it is open.
    fn close_embedded(&self);
    /// Opens `url` in the user's browser.
    fn open_browser(&self, url: &Url) -> std::result::Result<(), String>;
}

impl SignIn {
    /// Runs one sign-in to its end: signed in, or the error to show (cancelled,
    /// timed out, refused by Microsoft…). Nothing is stored unless it succeeded.
    pub async fn run(&self, input: &InstallInput, windows: &dyn SignInWindows) -> Result<SignedIn> {
        let (attempt, answer) = self.drive(input, Purpose::Install, windows).await?;
        self.finish(&attempt, &answer).await
    }

    /// Starts an attempt for `purpose`, opens the window or the browser, and waits for
    /// Microsoft's answer: the attempt and the redirect it came back with, or the error
    /// that ended it (the attempt then ended too).
    pub(super) async fn drive(&self, input: &InstallInput, purpose: Purpose, windows: &dyn SignInWindows) -> Result<(String, String)> {
        // Listen for Cancel before anything opens, so a Cancel that comes at once is not missed.
        let cancelled = self.cancel.notified();
        tokio::pin!(cancelled);
        cancelled.as_mut().enable();
        let start = self.begin_for(input, purpose).await?;
        let timeout = Duration::from_secs(start.timeout_secs);
        let authorize = Url::parse(&start.authorize_url).map_err(|e| Error::Internal { detail: format!("authorize URL: {e}") })?;
        match start.flow {
            Flow::Embedded => {
                let callback = Url::parse(&start.callback_url).map_err(|e| Error::Internal { detail: format!("callback URL: {e}") })?;
                let (tx, mut rx) = mpsc::unbounded_channel();
                if let Err(detail) = windows.open_embedded(&authorize, NavigationWatch { callback, events: tx }) {
                    self.abort(&start.attempt, Abort::WindowClosed);
                    let e = Error::SignInWindowFailed { detail };
                    tracing::warn!(code = e.code(), "sign-in failed: {e}");
                    return Err(e);
                }
                let outcome = tokio::select! {
                    event = tokio::time::timeout(timeout, rx.recv()) => event,
                    _ = &mut cancelled => Ok(Some(WindowEvent::Closed)),
                };
                // Whatever happened, the window's job is done.
                windows.close_embedded();
                match outcome {
                    Ok(Some(WindowEvent::Callback(url))) => Ok((start.attempt, url)),
                    Ok(Some(WindowEvent::Closed)) | Ok(None) => Err(self.abort(&start.attempt, Abort::WindowClosed)),
                    Err(_) => Err(self.abort(&start.attempt, Abort::TimedOut)),
                }
            }
            Flow::Browser => {
                let Some((loopback, state)) = self.take_loopback(&start.attempt) else {
                    return Err(self.abort(&start.attempt, Abort::WindowClosed));
                };
                if let Err(detail) = windows.open_browser(&authorize) {
                    self.abort(&start.attempt, Abort::WindowClosed);
                    let e = Error::BrowserFailed { detail };
                    tracing::warn!(code = e.code(), "sign-in failed: {e}");
                    return Err(e);
                }
                tokio::select! {
                    answer = tokio::time::timeout(timeout, loopback.accept(&state)) => match answer {
                        Ok(url) => Ok((start.attempt, url)),
                        Err(_) => Err(self.abort(&start.attempt, Abort::TimedOut)),
                    },
                    _ = &mut cancelled => Err(self.abort(&start.attempt, Abort::WindowClosed)),
                }
            }
        }
    }

    /// The main window's Cancel: ends the sign-in in flight as cancelled and
    /// closes its window. Nothing is stored.
    pub fn cancel(&self) {
        self.cancel.notify_waiters();
    }
}
