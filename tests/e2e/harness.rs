//! Drives the real Connector Console window through WebDriver
//! (tauri-driver → WebKitWebDriver → the app binary), one app at a time.
//!
//! Each app runs under its own tauri-driver in its own process group, which is
//! killed (TERM, then KILL) when the `App` is dropped, also when a test panics.
//! A failing test leaves a screenshot and the page source in
//! `target/e2e-artifacts/<test name>/`.

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, MutexGuard};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub type TestResult = Result<(), String>;

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

pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-artifacts")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free port")
}

/// tauri-driver and everything it starts, killed as a group.
struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.wait();
    }
}

#[derive(Default, Clone)]
pub struct Options {
    /// Extra environment for the app (and the drivers that start it).
    pub env: Vec<(String, String)>,
    /// Reuse a data directory, e.g. to restart the app over the same settings.
    pub data_dir: Option<PathBuf>,
}

pub struct App {
    pub client: Client,
    pub name: String,
    pub data_dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
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
        let mut cmd = Command::new("tauri-driver");
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("CONNECTOR_CONSOLE_DATA_DIR", &data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let driver = Driver { child: cmd.spawn().expect("tauri-driver not found: run scripts/setup.sh") };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": app_binary() }));
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
        let app = App { client, name: name.to_string(), data_dir, _tmp: tmp.or(keep), _driver: driver, _turn: turn };
        if let Err(e) = app.wait_for("#app-version:not(:empty)", Duration::from_secs(20)).await {
            app.finish(Err(format!("the main window never finished loading: {e}"))).await;
            unreachable!();
        }
        app
    }

    /// Ends the test: on failure saves a screenshot and the page source, then panics.
    pub async fn finish(self, result: TestResult) {
        if let Err(msg) = &result {
            let dir = artifacts_dir().join(&self.name);
            let _ = std::fs::create_dir_all(&dir);
            if let Ok(png) = self.client.screenshot().await {
                let _ = std::fs::write(dir.join("screenshot.png"), png);
            }
            if let Ok(src) = self.client.source().await {
                let _ = std::fs::write(dir.join("page.html"), src);
            }
            let _ = std::fs::write(dir.join("failure.txt"), msg);
        }
        let _ = self.client.clone().close().await;
        drop(self);
        if let Err(msg) = result {
            panic!("{msg}\n(artifacts in target/e2e-artifacts/)");
        }
    }

    /// Closes the window and ends the app, keeping its data and the turn for a restart.
    pub async fn quit(self) -> Stopped {
        let _ = self.client.clone().close().await;
        let App { _tmp, data_dir, _turn, .. } = self;
        Stopped { data_dir, tmp: _tmp, turn: _turn }
    }

    pub async fn save_screenshot(&self, file: &str) -> TestResult {
        let png = self.client.screenshot().await.map_err(|e| format!("screenshot: {e}"))?;
        let dir = artifacts_dir().join("screenshots");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(file), png).map_err(|e| e.to_string())
    }

    pub async fn wait_for(&self, css: &str, timeout: Duration) -> TestResult {
        self.client.wait().at_most(timeout).for_element(Locator::Css(css)).await.map(|_| ()).map_err(|e| format!("waiting for {css}: {e}"))
    }

    pub async fn text(&self, css: &str) -> Result<String, String> {
        let el = self.client.find(Locator::Css(css)).await.map_err(|e| format!("find {css}: {e}"))?;
        el.text().await.map_err(|e| format!("text of {css}: {e}"))
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
        self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.map_err(|e| format!("find {css}: {e}"))
    }

    /// A row's occasional action, behind its "⋯" menu: opens the menu, then presses the item.
    pub async fn row_menu(&self, row: &str, action: &str) -> TestResult {
        self.click(&format!("{row} [data-action=more]")).await?;
        self.click(&format!("{row} [role=menu] [data-action={action}]")).await
    }

    pub async fn is_visible(&self, css: &str) -> Result<bool, String> {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.is_displayed().await.map_err(|e| e.to_string()),
            Err(_) => Ok(false),
        }
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str, timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.text(css).await.unwrap_or_default();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(format!("{css} never contained {needle:?}; last text: {text:?}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until exactly `n` elements match `css` (a list renders after the action that shows it).
    pub async fn wait_count(&self, css: &str, n: usize, timeout: Duration) -> TestResult {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.client.find_all(Locator::Css(css)).await.map(|all| all.len()).unwrap_or(0);
            if found == n {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{css}: waited for {n} matches, found {found}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clears a text field and types into it, as a user would.
    pub async fn fill(&self, css: &str, text: &str) -> TestResult {
        let el = self.find(css).await?;
        el.clear().await.map_err(|e| format!("clear {css}: {e}"))?;
        el.send_keys(text).await.map_err(|e| format!("type into {css}: {e}"))
    }

    /// The `value` property of a form control.
    pub async fn value(&self, css: &str) -> Result<String, String> {
        let el = self.client.find(Locator::Css(css)).await.map_err(|e| format!("find {css}: {e}"))?;
        Ok(el.prop("value").await.map_err(|e| e.to_string())?.unwrap_or_default())
    }

    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>, String> {
        let el = self.client.find(Locator::Css(css)).await.map_err(|e| format!("find {css}: {e}"))?;
        el.attr(name).await.map_err(|e| e.to_string())
    }

    /// The element that has keyboard focus, as "tag#id".
    pub async fn focused(&self) -> Result<String, String> {
        let v = self
            .client
            .execute("const e = document.activeElement; return e.tagName.toLowerCase() + '#' + e.id;", vec![])
            .await
            .map_err(|e| e.to_string())?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Sends keys to the focused element (WebDriver "send keys" to activeElement).
    pub async fn keys(&self, keys: &str) -> TestResult {
        let el = self.client.active_element().await.map_err(|e| format!("active element: {e}"))?;
        el.send_keys(keys).await.map_err(|e| format!("send keys: {e}"))
    }
}

/// What `secret-tool` (the real Secret Service) holds for the app.
pub fn keychain_dump() -> String {
    let out =
        Command::new("secret-tool").args(["search", "--all", "--unlock", "service", "connector-console"]).output().expect("secret-tool");
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Files under `dir` (settings, logs, anything) that contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes())) {
                hits.push(path);
            }
        }
    }
    hits
}
