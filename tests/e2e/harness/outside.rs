//! State outside the page: files, processes and the keychain, and waits on them. Page state
//! has the `App::wait_*` methods (waits.rs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::POLL;

/// Waits for state outside the page (a file, a process) to hold: `probe` returns `Err` with
/// what it saw instead. Page state has the `App::wait_*` methods.
pub async fn wait_until<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Result<T, String>) -> Result<T, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match probe() {
            Ok(v) => return Ok(v),
            Err(seen) if Instant::now() >= deadline => return Err(format!("waited {} s for {what}; last saw {seen}", timeout.as_secs())),
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

/// Whether no process holds the app's instance lock (a missing file: no app ever took it).
pub fn lock_is_free(path: &Path) -> Result<(), String> {
    let file = match std::fs::OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    // Taken and dropped at once: the probe must never stand in the next launch's way.
    file.try_lock().map_err(|e| e.to_string())
}

/// `wait_until` for a plain `#[test]`, with no async runtime to yield to.
pub fn wait_until_blocking<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Result<T, String>) -> Result<T, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match probe() {
            Ok(v) => return Ok(v),
            Err(seen) if Instant::now() >= deadline => return Err(format!("waited {} s for {what}; last saw {seen}", timeout.as_secs())),
            Err(_) => std::thread::sleep(POLL),
        }
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
