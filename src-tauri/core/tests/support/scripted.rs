//! The user's side of a sign-in, played by a script: an "embedded window" and a "browser"
//! on the fake Microsoft's consent page, for the core's `SignInWindows`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use connector_core::Services;

use super::consent;

/// How long a scripted user looks at a window that stays open after their answer. The app
/// closes it at once when the answer arrives, so this is only reached when it did not.
const GIVES_UP_AFTER: std::time::Duration = std::time::Duration::from_secs(20);

/// What the scripted user does once the sign-in window or browser is open.
#[derive(Clone, Copy, PartialEq)]
pub enum User {
    /// Presses Accept or Deny on Microsoft's page.
    Consents(&'static str),
    /// Closes the sign-in window without answering.
    ClosesTheWindow,
    /// Does nothing (walked away).
    Waits,
    /// Played by the test itself (`run_as_user`).
    Plays,
}

/// The shell's part of a sign-in, played by a script: an "embedded window" that
/// consents on the fake and reports the redirect through the core's watch, and a
/// "browser" that consents and follows the redirect to the loopback.
pub struct ScriptedWindows {
    pub user: User,
    pub opened: tokio::sync::Notify,
    pub closed: AtomicBool,
    /// Whether the embedded window was allowed to load the redirect (it must not be).
    pub redirect_loaded: AtomicBool,
    pub browser_urls: Mutex<Vec<String>>,
    /// The page the loopback answered the browser with.
    pub loopback_page: Mutex<Option<String>>,
    /// The page the window or browser opened on, and whether it was the browser.
    pub page: Mutex<Option<(String, bool)>>,
    /// An open window keeps its watch, as the shell's window does.
    watch: Mutex<Option<connector_core::services::signin::NavigationWatch>>,
}

impl ScriptedWindows {
    pub fn new(user: User) -> Arc<Self> {
        Arc::new(Self {
            user,
            opened: tokio::sync::Notify::new(),
            closed: AtomicBool::new(false),
            redirect_loaded: AtomicBool::new(false),
            browser_urls: Mutex::new(Vec::new()),
            loopback_page: Mutex::new(None),
            page: Mutex::new(None),
            watch: Mutex::new(None),
        })
    }

    /// A person whose window is still open well after answering Microsoft's page (the answer
    /// never reached the sign-in, or the window loaded it) closes it: the sign-in then ends as
    /// cancelled, as it would for them, instead of waiting out its 10 minutes.
    async fn gives_up_unless_closed(&self, watch: &connector_core::services::signin::NavigationWatch) {
        let started = std::time::Instant::now();
        while started.elapsed() < GIVES_UP_AFTER {
            if self.closed.load(Ordering::SeqCst) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        watch.closed();
    }

    /// The user's answer reaching the sign-in: the redirect through the open window's watch,
    /// or at the browser's loopback; none: the window is closed, or the main window's Cancel.
    pub(super) async fn reach(&self, services: &Services, answer: Option<String>, browser: bool) {
        match (answer, browser) {
            (Some(redirect), false) => {
                let watch = self.watch.lock().unwrap().clone();
                if let Some(watch) = watch {
                    let loaded = watch.allow(&url::Url::parse(&redirect).unwrap());
                    self.redirect_loaded.store(loaded, Ordering::SeqCst);
                }
            }
            (Some(redirect), true) => {
                let page = follow(&redirect).await;
                *self.loopback_page.lock().unwrap() = Some(page);
            }
            (None, false) => {
                let watch = self.watch.lock().unwrap().clone();
                if let Some(watch) = watch {
                    watch.closed();
                }
            }
            (None, true) => services.sign_in.cancel(),
        }
    }
}

/// The browser following a redirect to the loopback: the page it shows.
async fn follow(redirect: &str) -> String {
    reqwest::get(redirect.replace("http://localhost:", "http://127.0.0.1:")).await.unwrap().text().await.unwrap()
}

/// `run` borrows the port; the script's tasks need it for longer.
pub struct Port(pub Arc<ScriptedWindows>);

impl connector_core::services::signin::SignInWindows for Port {
    fn open_embedded(
        &self,
        authorize: &url::Url,
        watch: connector_core::services::signin::NavigationWatch,
    ) -> std::result::Result<(), String> {
        let (me, authorize) = (self.0.clone(), authorize.to_string());
        *me.watch.lock().unwrap() = Some(watch.clone());
        *me.page.lock().unwrap() = Some((authorize.clone(), false));
        me.opened.notify_one();
        tokio::spawn(async move {
            match me.user {
                User::Consents(decision) => {
                    let redirect = consent(&authorize, decision).await;
                    let loaded = watch.allow(&url::Url::parse(&redirect).unwrap());
                    me.redirect_loaded.store(loaded, Ordering::SeqCst);
                    me.gives_up_unless_closed(&watch).await;
                }
                User::ClosesTheWindow => watch.closed(),
                User::Waits | User::Plays => {}
            }
        });
        Ok(())
    }
    fn close_embedded(&self) {
        self.0.watch.lock().unwrap().take();
        self.0.closed.store(true, Ordering::SeqCst);
    }
    fn open_browser(&self, url: &url::Url) -> std::result::Result<(), String> {
        let (me, authorize) = (self.0.clone(), url.to_string());
        me.browser_urls.lock().unwrap().push(authorize.clone());
        *me.page.lock().unwrap() = Some((authorize.clone(), true));
        me.opened.notify_one();
        tokio::spawn(async move {
            if let User::Consents(decision) = me.user {
                let page = follow(&consent(&authorize, decision).await).await;
                *me.loopback_page.lock().unwrap() = Some(page);
            }
        });
        Ok(())
    }
}
