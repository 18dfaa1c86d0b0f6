//! One window per data folder: a second launch asks the first to come to the
//! front (opening an install link it was given), and exits. One design on every OS.
//!
//! A lock file says who is first (`File::try_lock`: flock(2) on Unix, LockFileEx on
//! Windows, released by the OS when the process ends, however it ends). The first
//! listens on a local socket (interprocess: a Unix socket beside the lock, a named
//! pipe on Windows); a later launch finds the lock held, connects and asks. The
//! lock, not the socket, decides: a socket left behind by a crash is replaced by the
//! next first launch, and two launches at the same moment can't both win.
//!
//! Why not tauri-plugin-single-instance: on Linux it talks D-Bus through zbus (1.3 MB
//! of an 8.5 MB binary for this one feature), and on Windows it names its mutex from
//! the bundle identifier alone, so a second data folder could not have its own window.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use interprocess::local_socket::prelude::*;
use interprocess::local_socket::{ListenerOptions, Name, Stream};

use crate::error::{Error, Result};
use crate::model::install_link;
use crate::store::paths;

const ACTIVATE: &str = "activate\n";
const OPEN: &str = "open ";
const DONE: &str = "done\n";
/// A request is one line, an install link at most; a peer sending more is not a launch.
const MAX_LINE: usize = OPEN.len() + install_link::MAX_LEN + 2;

/// What a later launch asks of the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Come to the front.
    Activate,
    /// Come to the front and open this install link (unparsed: the window parses it once,
    /// and shows why when it can't be used).
    Open(String),
}

impl Request {
    /// One line. Line breaks in the link become spaces and a link too long to be one is cut
    /// just past the limit: either way the window's parse refuses it and says why.
    fn line(&self) -> String {
        match self {
            Self::Activate => ACTIVATE.into(),
            Self::Open(link) => {
                let mut end = link.len().min(install_link::MAX_LEN + 1);
                while !link.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{OPEN}{}\n", link[..end].replace(['\n', '\r'], " "))
            }
        }
    }

    fn from_line(line: &str) -> Option<Self> {
        if line == ACTIVATE {
            return Some(Self::Activate);
        }
        line.strip_prefix(OPEN)?.strip_suffix('\n').map(|link| Self::Open(link.into()))
    }
}
/// The whole request must arrive within this, however slowly it trickles.
const REQUEST_DEADLINE: Duration = Duration::from_secs(2);
/// Connections served at once.
const MAX_OPEN: usize = 8;

/// A read timeout that could not be set ends the read, except where there is none to set:
/// named pipes (interprocess answers `Unsupported`), where the read goes on without one.
fn timeout_set(result: std::io::Result<()>) -> Option<()> {
    match result {
        Ok(()) => Some(()),
        Err(e) if e.kind() == ErrorKind::Unsupported => Some(()),
        Err(_) => None,
    }
}

/// One line of at most `MAX_LINE` bytes, arriving within `REQUEST_DEADLINE` in total.
/// Named pipes have no read timeouts (interprocess answers `Unsupported`): there a
/// silent peer holds only its own thread, and `MAX_OPEN` bounds how many.
fn read_request(mut conn: &Stream) -> Option<String> {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let mut buf = Vec::with_capacity(MAX_LINE);
    let mut byte = [0u8; 1];
    while buf.last() != Some(&b'\n') {
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        timeout_set(conn.set_recv_timeout(Some(left)))?;
        match conn.read(&mut byte) {
            Ok(1) if buf.len() < MAX_LINE => buf.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(buf).ok()
}

/// Where one data folder's instance is claimed. The lock is always in the data folder
/// itself, so every launch on that folder meets the same lock whatever its environment
/// (with or without a runtime folder, the default folder or the same one named). The
/// socket goes in the runtime folder when there is one (private, short paths, cleared at
/// logout), named for the folder; else beside the lock under a short name, which keeps
/// its path within the OS limit (104 bytes on macOS).
pub struct Place {
    lock: PathBuf,
    socket_dir: PathBuf,
    socket_id: String,
}

impl Place {
    pub fn for_data_dir(data: &Path, runtime: Option<&Path>) -> Self {
        let data = paths::canonical(data.to_path_buf());
        let lock = data.join("instance.lock");
        match runtime {
            Some(runtime) => {
                let hash = paths::fnv1a(data.as_os_str().as_encoded_bytes());
                Self { lock, socket_dir: runtime.to_path_buf(), socket_id: format!("{}.d{hash:016x}", paths::IDENTIFIER) }
            }
            None => Self { lock, socket_dir: data, socket_id: "instance".into() },
        }
    }

    /// Lock and socket side by side in `dir`, named `id`.
    pub fn in_dir(dir: &Path, id: &str) -> Self {
        Self { lock: dir.join(format!("{id}.lock")), socket_dir: dir.to_path_buf(), socket_id: id.to_string() }
    }
}

/// Where the first instance listens: a Unix socket in a private folder; on Windows a
/// named pipe (one machine-wide namespace), named with a hash of the folder so each
/// user's, and each data folder's, is its own.
pub fn socket_name(place: &Place) -> std::io::Result<Name<'static>> {
    let (dir, id) = (&place.socket_dir, &place.socket_id);
    #[cfg(unix)]
    {
        use interprocess::local_socket::GenericFilePath;
        dir.join(format!("{id}.sock")).to_fs_name::<GenericFilePath>().map(|n| n.into_owned())
    }
    #[cfg(windows)]
    {
        use interprocess::local_socket::GenericNamespaced;
        let hash = paths::fnv1a(dir.as_os_str().as_encoded_bytes());
        format!("{id}.{hash:016x}").to_ns_name::<GenericNamespaced>().map(|n| n.into_owned())
    }
}

/// How long a later launch waits for the first to answer. The first binds its
/// socket right after taking the lock, but answers only once its window exists.
pub const HAND_OVER_WAIT: Duration = Duration::from_secs(15);

pub enum Claim {
    First(FirstInstance),
    /// The first instance was asked to come forward and said it did.
    HandedOver,
    /// Another process holds the lock but did not answer in time (hung, or
    /// still starting after the wait): starting a second window would break
    /// the one-window rule, so the caller reports this instead.
    Unanswered {
        detail: String,
    },
}

/// Holds the lock for the life of the process and answers later launches.
pub struct FirstInstance {
    lock: File,
    listener: LocalSocketListener,
}

/// The socket's listener. On Unix the socket lives in a private folder; a named pipe is
/// in a machine-wide namespace, so on Windows it admits only this user.
fn listener(name: Name<'static>) -> std::io::Result<LocalSocketListener> {
    let options = ListenerOptions::new().name(name);
    #[cfg(windows)]
    let options = {
        use interprocess::os::windows::local_socket::ListenerOptionsExt;
        options.security_descriptor(super::windows_pipe::current_user_only()?)
    };
    options.create_sync()
}

fn open_lock(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Claims the instance at `place` (private folders), or hands over to the process that holds it.
pub fn claim(place: &Place, wait: Duration, request: &Request) -> Result<Claim> {
    let (lock_path, dir) = (&place.lock, &place.socket_dir);
    let file = open_lock(lock_path).map_err(|e| Error::storage(lock_path, e))?;
    let name = socket_name(place).map_err(|e| Error::storage(dir, e))?;
    match file.try_lock() {
        Ok(()) => {
            // Only the lock holder touches the socket path: what is there is a dead one's.
            #[cfg(unix)]
            let _ = std::fs::remove_file(dir.join(format!("{}.sock", place.socket_id)));
            let listener = listener(name).map_err(|e| Error::storage(dir, e))?;
            Ok(Claim::First(FirstInstance { lock: file, listener }))
        }
        Err(TryLockError::WouldBlock) => Ok(match hand_over(name, wait, request.line()) {
            Ok(()) => Claim::HandedOver,
            Err(detail) => Claim::Unanswered { detail },
        }),
        Err(TryLockError::Error(e)) => Err(Error::storage(lock_path, e)),
    }
}

/// Asks on a thread of its own, so the wait holds on every OS: a named pipe's read
/// can't time out, and a hung first instance must not hang this launch.
fn hand_over(name: Name<'static>, wait: Duration, line: String) -> std::result::Result<(), String> {
    let deadline = Instant::now() + wait;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("single-instance-ask".into())
        .spawn(move || {
            let _ = tx.send(ask(&name, deadline, &line));
        })
        .map_err(|e| format!("could not ask the running window: {e}"))?;
    rx.recv_timeout(wait).unwrap_or_else(|_| Err(format!("no answer within {:.1} s", wait.as_secs_f32())))
}

fn ask(name: &Name<'static>, deadline: Instant, line: &str) -> std::result::Result<(), String> {
    // The first may hold the lock a moment before it listens.
    let stream = loop {
        match Stream::connect(name.borrow()) {
            Ok(s) => break s,
            Err(e) if Instant::now() >= deadline => return Err(format!("connecting to the running window: {e}")),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let mut answer = String::new();
    (&stream)
        .write_all(line.as_bytes())
        .and_then(|()| BufReader::new(&stream).read_line(&mut answer))
        .map_err(|e| format!("waiting for its answer: {e}"))?;
    if answer == DONE {
        Ok(())
    } else {
        Err("it closed the connection without answering".into())
    }
}

impl FirstInstance {
    /// Answers later launches on a thread of its own, calling `activate` with each
    /// one's request. The lock is held until the process ends.
    pub fn serve(self, activate: impl Fn(Request) + Send + Sync + 'static) -> Result<()> {
        let activate = Arc::new(activate);
        let open = Arc::new(AtomicUsize::new(0));
        std::thread::Builder::new()
            .name("single-instance".into())
            .spawn(move || {
                let _held = self.lock;
                for conn in self.listener.incoming() {
                    let Ok(conn) = conn else {
                        // Out of descriptors or the like: don't spin.
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    // Each connection on its own thread, so a slow one holds up no other;
                    // a peer opening many at once gets the extra ones closed.
                    if open.fetch_add(1, Ordering::SeqCst) >= MAX_OPEN {
                        open.fetch_sub(1, Ordering::SeqCst);
                        continue;
                    }
                    let (activate, open) = (activate.clone(), open.clone());
                    let _ = std::thread::Builder::new().name("single-instance-conn".into()).spawn(move || {
                        if let Some(request) = read_request(&conn).as_deref().and_then(Request::from_line) {
                            activate(request);
                            let _ = (&conn).write_all(DONE.as_bytes());
                        }
                        open.fetch_sub(1, Ordering::SeqCst);
                    });
                }
            })
            .map(drop)
            .map_err(|e| Error::Internal { detail: format!("could not start the single-instance listener: {e}") })
    }
}

#[cfg(test)]
#[path = "instance_tests.rs"]
mod tests;
