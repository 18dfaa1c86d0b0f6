//! The windows and browsers a sign-in needs, and nothing more: the core's
//! `SignIn::run` owns the attempt, the loopback, the timeout and Cancel, and
//! calls this port to open (and close) what the user signs in with.
//!
//! The embedded window matches no capability, so the pages in it get no IPC at
//! all. Every navigation is checked by the core's `NavigationWatch`, which
//! refuses the redirect (it is never loaded) and takes its answer.

use connector_core::services::signin::{NavigationWatch, SignInWindows};
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use url::Url;

const LABEL: &str = "sign-in";

/// How long a browser launcher may take to say it failed. xdg-open is a shell script: on a
/// busy machine it takes longer than the `open` crate's default 250 ms to report that no
/// browser opened, and that failure was then read as success, leaving the user waiting on a
/// sign-in that never started (seen in a flake-check run under load). A launcher still
/// running at the deadline is a browser that opened (xdg-open waits for some).
const LAUNCHER_FAILURE_WINDOW: std::time::Duration = std::time::Duration::from_secs(5);

/// "🔒 login.microsoftonline.com — Sign in with Microsoft": the host the page is on, with a
/// lock only over HTTPS, read-only because the user can't type it.
fn title(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    let lock = if url.scheme() == "https" { "\u{1f512}" } else { "Not secure:" };
    format!("{lock} {host} \u{2014} Sign in with Microsoft")
}

/// The windows of one sign-in. `hand_link`: the user copies the sign-in link into a browser
/// themselves (theirs didn't open), so the "browser" is the main window, which shows the link.
pub struct ShellWindows<'a> {
    pub app: &'a AppHandle,
    pub hand_link: bool,
}

/// The opener's failure as a "Details" disclosure shows it: the command and its exit code.
/// The `open` crate says `Launcher "xdg-open" "<url>" failed with ExitStatus(unix_wait_status(768))`;
/// the URL (with its state and PKCE challenge) is left out, as the page offers it to copy.
fn open_failure(said: &str, url: &Url) -> String {
    let said = said.replace(&format!("{:?}", url.as_str()), "<sign-in link>").replace(url.as_str(), "<sign-in link>");
    let said = said.strip_prefix("Launcher ").unwrap_or(&said).replace('"', "");
    // A wait status holds the exit code in its second byte (when the launcher exited, not died).
    let code = said.split_once("ExitStatus(unix_wait_status(").and_then(|(head, tail)| {
        let raw: i32 = tail.trim_end_matches(')').parse().ok()?;
        ((raw & 0x7f) == 0).then(|| format!("{head}exit code {}", raw >> 8))
    });
    code.unwrap_or(said)
}

impl SignInWindows for ShellWindows<'_> {
    fn open_embedded(&self, authorize: &Url, watch: NavigationWatch) -> Result<(), String> {
        let on_nav = watch.clone();
        let handle = self.app.clone();
        let builder = WebviewWindowBuilder::new(self.app, LABEL, WebviewUrl::External(authorize.clone()))
            .title(title(authorize))
            .inner_size(540.0, 720.0)
            // The run's private webview folder (see webview_data.rs), never the app's data folder.
            .data_directory(self.app.state::<crate::webview_data::WebviewData>().path().to_path_buf())
            .on_navigation(move |url| {
                let allowed = on_nav.allow(url);
                // The window has no address bar: its title says where the page is, as a browser would.
                if let (true, Some(w)) = (allowed, handle.get_webview_window(LABEL)) {
                    let _ = w.set_title(&title(url));
                }
                allowed
            });
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
        if let Some(w) = self.app.get_webview_window(LABEL) {
            let _ = w.destroy();
        }
    }

    /// The OS opener, which honours `BROWSER` on Linux; or, when the user copies the link
    /// themselves, the main window (only it listens to this event).
    fn open_browser(&self, url: &Url) -> Result<(), String> {
        if self.hand_link {
            return self.app.emit_to("main", "sign-in-link", url.as_str()).map_err(|e| e.to_string());
        }
        // Waiting up to the window blocks this thread: tell the runtime, so its other tasks move.
        tokio::task::block_in_place(|| open::that_detached_with_timeout(url.as_str(), LAUNCHER_FAILURE_WINDOW))
            .map_err(|e| open_failure(&e.to_string(), url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_host_with_a_lock_only_over_https() {
        let secure = title(&Url::parse("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1").unwrap());
        assert_eq!(secure, "\u{1f512} login.microsoftonline.com \u{2014} Sign in with Microsoft");
        let plain = title(&Url::parse("http://127.0.0.1:9/authorize").unwrap());
        assert!(plain.starts_with("Not secure: 127.0.0.1 ") && !plain.contains('\u{1f512}'), "{plain}");
    }

    #[test]
    fn an_opener_failure_names_the_command_and_exit_code_without_the_link() {
        let url = Url::parse("https://login.example/authorize?state=s3cr3t&code_challenge=abc").unwrap();
        let said = format!("Launcher \"xdg-open\" {:?} failed with ExitStatus(unix_wait_status(768))", url.as_str());
        assert_eq!(open_failure(&said, &url), "xdg-open <sign-in link> failed with exit code 3");
        let other = open_failure("No such file or directory (os error 2)", &url);
        assert_eq!(other, "No such file or directory (os error 2)", "other words are kept as they are");
    }
}
