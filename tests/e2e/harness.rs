//! Drives the real Connector Console window through WebDriver
//! (tauri-driver → WebKitWebDriver → the app binary), one app at a time.
//!
//! Each app runs under its own tauri-driver in its own process group, which is
//! killed (TERM, then KILL) when the `App` is dropped, also when a test panics.
//! A failing test leaves a screenshot, the page source and the page's last events in
//! `target/e2e-artifacts/<test name>/` (harness/artifacts.rs).
//!
//! After an action (a click, keys, a save) a test reads the page only through a wait for
//! the state the action should bring (harness/waits.rs), with the one `WAIT` (or
//! `SLOW_WAIT`) below: a bare read races the render and fails once in N runs.

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, MutexGuard};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

// A path from this file's folder: benches/app.rs includes this file by path too.
#[path = "harness/artifacts.rs"]
mod artifacts;
#[path = "harness/driver.rs"]
mod driver;
#[path = "harness/outside.rs"]
mod outside;
#[path = "harness/waits.rs"]
mod waits;
pub use artifacts::artifacts_dir;
use driver::Driver;
use outside::lock_is_free;
pub use outside::{files_containing, keychain_dump, wait_until, wait_until_blocking};

pub type TestResult = Result<(), String>;

/// How long every wait for the page lasts: the state an action brings (a view, a status, a
/// window) comes within it, also on a busy 2-core CI machine. One value for all tests.
pub const WAIT: Duration = Duration::from_secs(15);

/// For what takes seconds by design: the window's first load, and a background token refresh
/// the fake times (its access tokens live 6 to 8 s, so the refresh comes 10 to 20 s in).
pub const SLOW_WAIT: Duration = Duration::from_secs(30);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// One app window at a time: two WebKit apps on 2 cores make every test flaky.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// The binary under test: this build's, or an installed one named by
/// `CONNECTOR_CONSOLE_E2E_APP` (the package test points it at `/usr/bin/…`).
pub fn app_binary() -> String {
    std::env::var("CONNECTOR_CONSOLE_E2E_APP").unwrap_or_else(|_| env!("CARGO_BIN_EXE_connector-console").to_string())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free port")
}

#[derive(Default, Clone)]
pub struct Options {
    /// Extra environment for the app (and the drivers that start it).
    pub env: Vec<(String, String)>,
    /// Reuse a data directory, e.g. to restart the app over the same settings.
    pub data_dir: Option<PathBuf>,
    /// The app's command-line arguments (an install link, as the desktop passes it).
    pub args: Vec<String>,
}

pub struct App {
    /// Private: tests read the page only through the waits (harness/waits.rs), never with a
    /// bare find after an action; scripts/lint.sh checks that.
    client: Client,
    pub name: String,
    pub data_dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    /// The drivers' and the app's output (stdout and stderr).
    output: tempfile::NamedTempFile,
    // Field order matters: the session closes before the driver group is killed.
    _driver: Driver,
    _turn: MutexGuard<'static, ()>,
}

/// What survives an app's exit for a restart: its data directory and the
/// test's turn (another test must not start, and clear the keychain, in between).
pub struct Stopped {
    pub data_dir: PathBuf,
    tmp: Option<tempfile::TempDir>,
    turn: MutexGuard<'static, ()>,
}

impl App {
    pub async fn launch(name: &str, opts: Options) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the E2E tests need a display, a D-Bus session and a keyring: run them with scripts/test.sh \
             (or scripts/with-test-env.sh cargo test)"
        );
        let turn = ONE_AT_A_TIME.lock().await;
        Self::start(name, opts, turn, None).await
    }

    /// Starts the app again over the data (and keychain) of one that stopped.
    pub async fn restart(name: &str, mut opts: Options, stopped: Stopped) -> App {
        opts.data_dir = Some(stopped.data_dir);
        Self::start(name, opts, stopped.turn, stopped.tmp).await
    }

    async fn start(name: &str, opts: Options, turn: MutexGuard<'static, ()>, keep: Option<tempfile::TempDir>) -> App {
        let (tmp, data_dir) = match opts.data_dir {
            Some(dir) => (None, dir),
            None => {
                // A fresh app starts with an empty keychain too: one test's secrets must not leak into the next.
                let _ = Command::new("secret-tool").args(["clear", "service", "connector-console"]).status();
                let tmp = tempfile::Builder::new().prefix("cc-e2e-").tempdir().expect("temp dir");
                let dir = tmp.path().to_path_buf();
                (Some(tmp), dir)
            }
        };
        let (port, native_port) = (free_port(), free_port());
        // What the drivers and the app print (WebKit's own messages among them), kept with a
        // failure's artifacts: a web process that crashed or hung otherwise leaves no trace.
        // One open file for both streams: they share its offset, so neither overwrites the other.
        let output = tempfile::NamedTempFile::new().expect("temp file");
        let stdout = output.reopen().expect("reopen the output file");
        let stderr = stdout.try_clone().expect("share the output file");
        let mut cmd = Command::new("tauri-driver");
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("CONNECTOR_CONSOLE_DATA_DIR", &data_dir)
            .stdout(Stdio::from(stdout))
            .stderr(Stdio::from(stderr))
            .process_group(0);
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let driver = Driver::spawn(&mut cmd);
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": app_binary(), "args": opts.args }));
        // tauri-driver may accept connections a moment before it can start a
        // session; a few retries keep that start-up race out of the results.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) if attempt < 4 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("WebDriver session: {e}"),
            }
        };
        let app = App { client, name: name.to_string(), data_dir, _tmp: tmp.or(keep), output, _driver: driver, _turn: turn };
        if let Err(e) = app.wait_for_within("#app-version:not(:empty)", SLOW_WAIT).await {
            app.finish(Err(format!("the main window never finished loading: {e}"))).await;
            unreachable!();
        }
        // What the page saw happen, for a failure's artifacts (events.txt): which element each
        // click, key and submit reached, so a flake says whether an action landed.
        if let Err(e) = app.client.execute(artifacts::EVENT_TRAIL, vec![]).await {
            app.finish(Err(format!("could not record the page's events: {e}"))).await;
            unreachable!();
        }
        app
    }

    /// The WebDriver session itself, for benchmarks (benches/app.rs) that time their own
    /// polling; tests read the page through the waits, and scripts/lint.sh refuses this there.
    #[allow(dead_code)] // the E2E tests never use it
    pub fn webdriver(&self) -> &Client {
        &self.client
    }

    /// Ends the test: on failure saves a screenshot, the page source and the page's last
    /// events, then panics. Either way the app has exited before the next test may start.
    pub async fn finish(self, result: TestResult) {
        if let Err(msg) = &result {
            artifacts::save(&self.client, &self.name, msg, self.output.path(), &self.data_dir).await;
        }
        let ended = self.end().await;
        match (result, ended) {
            (Ok(()), Ok(_)) => {}
            (Ok(()), Err(e)) => panic!("{e}"),
            (Err(msg), ended) => {
                let also = ended.err().map(|e| format!("\nand then: {e}")).unwrap_or_default();
                panic!("{msg}{also}\n(artifacts in target/e2e-artifacts/)");
            }
        }
    }

    /// Closes the window and ends the app, keeping its data and the turn for a restart.
    /// Ends the app and returns once it is gone. Ending the session and its tauri-driver group
    /// does not wait for the app itself to exit: under load it may still hold its data folder's
    /// instance lock when the restart (or the next test) launches, and a restart then hands
    /// over to the dying window and exits, leaving WebKitWebDriver waiting for a window that
    /// never comes (a hang seen in a flake-check run). The lock is free when the process has
    /// ended, however it ended.
    pub async fn quit(self) -> Stopped {
        self.end().await.unwrap_or_else(|e| panic!("{e}"))
    }

    async fn end(self) -> Result<Stopped, String> {
        let _ = self.client.clone().close().await;
        let App { _tmp, data_dir, _turn, _driver, .. } = self;
        drop(_driver);
        let lock = data_dir.join("instance.lock");
        wait_until("the app to release its instance lock", SLOW_WAIT, || lock_is_free(&lock)).await?;
        Ok(Stopped { data_dir, tmp: _tmp, turn: _turn })
    }

    /// Saves a screenshot under `target/e2e-artifacts/screenshots/`.
    pub async fn save_screenshot(&self, file: &str) -> TestResult {
        self.save_screenshot_to(&artifacts_dir().join("screenshots").join(file)).await
    }

    pub async fn save_screenshot_to(&self, path: &Path) -> TestResult {
        let png = self.client.screenshot().await.map_err(|e| format!("screenshot: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Waits for the element (views render asynchronously), then clicks it.
    pub async fn click(&self, css: &str) -> TestResult {
        let el = self.find(css).await?;
        // WebKit's WebDriver scrolls an element only to the viewport's edge, where the sticky
        // header can cover it ("not interactable"); a person scrolls it into the middle.
        let arg = serde_json::to_value(&el).map_err(|e| e.to_string())?;
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", vec![arg])
            .await
            .map_err(|e| format!("scroll to {css}: {e}"))?;
        el.click().await.map_err(|e| format!("click {css}: {e}"))
    }

    async fn find(&self, css: &str) -> Result<fantoccini::elements::Element, String> {
        self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await.map_err(|e| format!("find {css}: {e}"))
    }

    /// A row's occasional action, behind its "⋯" menu: opens the menu, then presses the item.
    pub async fn row_menu(&self, row: &str, action: &str) -> TestResult {
        self.click(&format!("{row} [data-action=more]")).await?;
        self.click(&format!("{row} [role=menu] [data-action={action}]")).await
    }

    /// Clears a text field and types into it, as a user would.
    pub async fn fill(&self, css: &str, text: &str) -> TestResult {
        let el = self.find(css).await?;
        el.clear().await.map_err(|e| format!("clear {css}: {e}"))?;
        el.send_keys(text).await.map_err(|e| format!("type into {css}: {e}"))
    }

    /// Chooses a file in a file input (WebDriver types the path into it; no dialog opens).
    pub async fn upload(&self, css: &str, file: &Path) -> TestResult {
        let el = self.find(css).await?;
        el.send_keys(&file.display().to_string()).await.map_err(|e| format!("choose {} in {css}: {e}", file.display()))
    }

    /// Sends keys to the focused element (WebDriver "send keys" to activeElement).
    pub async fn keys(&self, keys: &str) -> TestResult {
        let el = self.client.active_element().await.map_err(|e| format!("active element: {e}"))?;
        el.send_keys(keys).await.map_err(|e| format!("send keys: {e}"))
    }

    /// Scrolls the page to its bottom, as a user would to reach the end of a long form.
    pub async fn scroll_to_bottom(&self) -> TestResult {
        self.client.execute("window.scrollTo(0, document.body.scrollHeight);", vec![]).await.map(|_| ()).map_err(|e| format!("scroll: {e}"))
    }

    /// Resizes the window and waits until the page has the new width.
    pub async fn resize(&self, width: u32, height: u32) -> TestResult {
        self.client.set_window_rect(0, 0, width, height).await.map_err(|e| format!("set_window_rect {width}x{height}: {e}"))?;
        // The page can be a little narrower than the window (its frame), never wider.
        let script = "const w = window.innerWidth; return (w <= arguments[0] && w + 40 >= arguments[0]) || `innerWidth ${w}`;";
        let width_arg = serde_json::json!(width);
        self.poll(&format!("the page to be {width} px wide"), WAIT, async || {
            match self.client.execute(script, vec![width_arg.clone()]).await.map_err(|e| e.to_string())? {
                serde_json::Value::Bool(true) => Ok(()),
                other => Err(other.to_string()),
            }
        })
        .await
    }

    /// Waits for a second window (Microsoft's sign-in page), presses `button` there, and
    /// comes back to the main window.
    pub async fn press_in_other_window(&self, button: &str) -> TestResult {
        let main = self.client.window().await.map_err(|e| e.to_string())?;
        let other = self
            .poll("a second window", WAIT, async || {
                let all = self.client.windows().await.map_err(|e| e.to_string())?;
                let count = all.len();
                all.into_iter().find(|w| *w != main).ok_or_else(|| format!("{count} window"))
            })
            .await?;
        self.client.switch_to_window(other).await.map_err(|e| e.to_string())?;
        let result = async {
            self.find(button).await.map_err(|e| format!("{button} in the sign-in window: {e}"))?;
            // The press navigates to the callback, which the app intercepts by
            // closing this window. A WebDriver click would wait for a page load
            // that never comes, so press the button from a timer and return.
            let script = "const b = document.querySelector(arguments[0]); setTimeout(() => b.click(), 20); return b.textContent;";
            self.client.execute(script, vec![button.into()]).await.map(|_| ()).map_err(|e| format!("press {button}: {e}"))
        }
        .await;
        self.client.switch_to_window(main).await.map_err(|e| e.to_string())?;
        result
    }

    /// Runs axe-core (WCAG 2 A and AA rules) on the page as it is; returns the serious and
    /// critical violations. Call it after a wait for the screen it checks.
    pub async fn axe_violations(&self) -> Result<Vec<serde_json::Value>, String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (scripts/setup.sh installs it)", path.display()))?;
        self.client.execute(&format!("{source}\nreturn true;"), vec![]).await.map_err(|e| format!("loading axe: {e}"))?;
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then((r) => done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))))
              .catch((e) => done([{ id: 'axe-error', help: String(e), nodes: [] }]));"#;
        let result = self.client.execute_async(script, vec![]).await.map_err(|e| format!("running axe: {e}"))?;
        Ok(result.as_array().cloned().unwrap_or_default())
    }
}

/// Puts what a check is about in front of a wait's failure:
/// `app.wait_value("#field-client_id", APP_ID).await.context("client id not restored")?`.
pub trait Context<T> {
    fn context(self, what: &str) -> Result<T, String>;
}

impl<T> Context<T> for Result<T, String> {
    fn context(self, what: &str) -> Result<T, String> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}
