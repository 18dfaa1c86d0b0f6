//! Advisory file locks between processes (the window and any number of
//! command-line processes share one data directory). `std::fs::File::lock`
//! is flock(2) on Unix and LockFileEx on Windows; the lock is released when
//! the guard is dropped (the file is closed), including when a process dies.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held while the lock is held.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// Opens (creating it and its folder if need be) the lock file at `path`.
fn open(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        crate::store::private_dir::create(dir).map_err(|e| Error::storage(dir, e))?;
    }
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    // Lock files carry installation ids in their names and nothing else: still the owner's only.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| Error::storage(path, e))
}

/// Whoever holds a lock writes who it is into the file, so that a process that gives up
/// waiting can say who held it. Best effort: the lock, not this line, decides.
fn held(mut file: File) -> FileLock {
    use std::io::Write;
    let exe = std::env::current_exe().ok().and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()));
    let first_arg = std::env::args_os().nth(1).map(|a| a.to_string_lossy().into_owned());
    let line = holder_line(std::process::id(), exe.as_deref(), first_arg);
    if let Err(e) = file.set_len(0).and_then(|()| file.write_all(line.as_bytes())) {
        tracing::debug!(error = %e, "could not note this process in a lock file");
    }
    FileLock { _file: file }
}

/// The line a holder writes: its process id, its program and its command (the first
/// argument, unless that is an option), e.g. `process 4242 (connector-console-cli token)`.
fn holder_line(pid: u32, exe: Option<&str>, first_arg: Option<String>) -> String {
    let command = first_arg.filter(|a| !a.starts_with('-')).map(|a| format!(" {a}")).unwrap_or_default();
    format!("process {pid} ({}{command})\n", exe.unwrap_or("unknown program"))
}

/// Who holds the lock at `path`, as its holder wrote it: a short line of plain text, or
/// nothing where the file can't be read while locked (Windows locks are mandatory).
fn holder(path: &Path) -> Option<String> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(File::open(path).ok()?, 200), &mut text).ok()?;
    let line = text.lines().next()?.trim();
    let plain = !line.is_empty() && line.chars().all(|c| !c.is_control());
    plain.then(|| format!("Connector Console {line}"))
}

/// Blocks until this process holds the lock file at `path` exclusively.
pub fn lock(path: &Path) -> Result<FileLock> {
    let file = open(path)?;
    file.lock().map_err(|e| Error::storage(path, e))?;
    Ok(held(file))
}

/// The lock if nobody holds it now (`None`: another process does), without waiting.
pub fn try_lock(path: &Path) -> Result<Option<FileLock>> {
    let file = open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(held(file))),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::storage(path, e)),
    }
}

/// The lock, waiting at most `wait`: a holder that hangs (a process stuck on a keychain
/// prompt, or stopped) gets a clear error, not an endless wait. Blocks the calling thread.
pub fn lock_within(path: &Path, wait: std::time::Duration) -> Result<FileLock> {
    let deadline = std::time::Instant::now() + wait;
    let file = open(path)?;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(held(file)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = holder(path).unwrap_or_else(|| "Another Connector Console process".into());
                return Err(Error::Busy { waited_secs: wait.as_secs(), holder });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::storage(path, e)),
        }
    }
}

/// The same, waiting off the async threads.
pub async fn lock_async(path: PathBuf, wait: std::time::Duration) -> Result<FileLock> {
    tokio::task::spawn_blocking(move || lock_within(&path, wait))
        .await
        .map_err(|join| Error::Internal { detail: format!("waiting for a file lock crashed: {join}") })?
}

/// Runs `f`, which may block on a file lock or the disk, without stalling the other tasks
/// of a multi-threaded runtime's worker (tokio moves them to another thread meanwhile).
/// Elsewhere (no runtime, or a single-threaded one, as in some tests) it just runs.
pub fn off_the_async_threads<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks").join("x.lock");
        let first = lock(&path).unwrap();
        let other = File::open(&path).unwrap();
        assert!(other.try_lock().is_err(), "held");
        drop(first);
        assert!(other.try_lock().is_ok(), "released on drop");
    }

    #[tokio::test]
    async fn a_lock_held_too_long_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks").join("x.lock");
        let _held = lock(&path).unwrap();
        let started = std::time::Instant::now();
        let err = lock_async(path, std::time::Duration::from_millis(300)).await.unwrap_err();
        assert_eq!(err.code(), "busy");
        // Who holds it, so the person waiting knows what to close.
        assert!(err.to_string().starts_with(&format!("Connector Console process {} (", std::process::id())), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
    }

    #[test]
    fn lock_within_gives_up_at_its_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let _held = lock(&path).unwrap();
        // On a thread of its own, so that a wait with no end fails this test instead of hanging it.
        let (tx, rx) = std::sync::mpsc::channel();
        let waiting = path.clone();
        std::thread::spawn(move || tx.send(lock_within(&waiting, std::time::Duration::from_millis(200)).map(drop)));
        let answer = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("an answer at the deadline, not a hang");
        assert_eq!(answer.unwrap_err().code(), "busy");
    }

    #[test]
    fn try_lock_takes_a_free_lock_and_leaves_a_held_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let first = try_lock(&path).unwrap().expect("free: taken");
        assert!(try_lock(&path).unwrap().is_none(), "held by the first guard");
        drop(first);
        assert!(try_lock(&path).unwrap().is_some(), "free again");
    }

    #[test]
    fn a_holder_line_that_is_empty_or_has_control_characters_is_not_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        std::fs::write(&path, "process 9 (connector-console-cli token)\n").unwrap();
        assert_eq!(holder(&path).as_deref(), Some("Connector Console process 9 (connector-console-cli token)"));
        std::fs::write(&path, "\n").unwrap();
        assert_eq!(holder(&path), None, "an empty line");
        // Another program's bytes must not reach the terminal as escape sequences.
        std::fs::write(&path, "process 9 (\u{1b}[2Jevil)\n").unwrap();
        assert_eq!(holder(&path), None, "a control character");
    }

    #[test]
    fn the_holder_line_names_the_command_but_not_an_option() {
        assert_eq!(holder_line(42, Some("connector-console-cli"), Some("token".into())), "process 42 (connector-console-cli token)\n");
        assert_eq!(holder_line(42, Some("connector-console"), Some("--verbose".into())), "process 42 (connector-console)\n");
        assert_eq!(holder_line(7, None, None), "process 7 (unknown program)\n");
    }
}
