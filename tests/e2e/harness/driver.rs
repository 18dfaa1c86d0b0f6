//! tauri-driver (and the WebKitWebDriver and app it starts) as one process group: killed
//! together when a test's app ends, also when the test panics, or when it hangs.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long one app may live. No test (nor benchmark round) takes more than a few minutes; a
/// WebDriver call that never returns (a WebKitWebDriver that died under a tauri-driver still
/// waiting for it) would otherwise hold the whole run until CI's limit. Past this, the watchdog
/// kills the group: the pending call fails, and the test fails with its artifacts, not a hang.
const HANG_LIMIT: Duration = Duration::from_secs(600);

/// tauri-driver and everything it starts, killed as a group; and its watchdog.
pub(super) struct Driver {
    child: Child,
    /// Dropped with the driver, which tells the watchdog the app ended in time.
    _in_time: std::sync::mpsc::Sender<()>,
}

impl Driver {
    pub(super) fn spawn(cmd: &mut Command) -> Driver {
        let child = cmd.spawn().expect("tauri-driver not found: run scripts/setup.sh");
        let (in_time, ended) = std::sync::mpsc::channel::<()>();
        let group = format!("-{}", child.id());
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = ended.recv_timeout(HANG_LIMIT) {
                eprintln!("the app under tauri-driver {group} ran past {HANG_LIMIT:?}: killed as hung");
                let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
            }
        });
        Driver { child, _in_time: in_time }
    }
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
