//! The windows and browsers a sign-in needs, and nothing more: the core's
//! `SignIn::run` owns the attempt, the loopback, the timeout and Cancel, and
//! calls this port to open (and close) what the user signs in with.
//!
//! The embedded window matches no capability, so the pages in it get no IPC at
//! all. Every navigation is checked by the core's `NavigationWatch`, which
//! refuses the redirect (it is never loaded) and takes its answer.

use connector_core::services::signin::{NavigationWatch, SignInWindows};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use url::Url;

const LABEL: &str = "sign-in";

pub struct ShellWindows<'a>(pub &'a AppHandle);

impl SignInWindows for ShellWindows<'_> {
    fn open_embedded(&self, authorize: &Url, watch: NavigationWatch) -> Result<(), String> {
        let on_nav = watch.clone();
        let builder = WebviewWindowBuilder::new(self.0, LABEL, WebviewUrl::External(authorize.clone()))
            .title("Sign in with Microsoft — Connector Console")
            .inner_size(540.0, 720.0)
            // The run's private webview folder (see webview_data.rs), never the app's data folder.
            .data_directory(self.0.state::<crate::webview_data::WebviewData>().path().to_path_buf())
            .on_navigation(move |url| on_nav.allow(url));
        // Incognito where the platform's webview keeps a window's data apart that way
        // (WKWebView's non-persistent store, WebView2's InPrivate): wry ignores the data
        // folder on macOS, so without it Microsoft's cookies would persist there. On Linux the
        // run's private folder does that job, because WebKitGTK automates one web context
        // only and the sign-in window must share the main window's (docs/known-limits.md).
        #[cfg(not(target_os = "linux"))]
        let builder = builder.incognito(true);
        let window = builder.build().map_err(|e| e.to_string())?;
        window.on_window_event(move |event| {
            if matches!(event, WindowEvent::Destroyed) {
                watch.closed();
            }
        });
        Ok(())
    }

    fn close_embedded(&self) {
        if let Some(w) = self.0.get_webview_window(LABEL) {
            let _ = w.destroy();
        }
    }

    /// The OS opener, which honours `BROWSER` on Linux.
    fn open_browser(&self, url: &Url) -> Result<(), String> {
        open::that_detached(url.as_str()).map_err(|e| e.to_string())
    }
}
