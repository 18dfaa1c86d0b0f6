//! One window per data folder: a second launch asks the first to come to the
//! front, and exits.
//!
//! A lock file says who is first (flock(2): released by the OS when the
//! process ends, however it ends). The first listens on a Unix socket beside
//! it; a later launch finds the lock held, connects and asks. The lock, not
//! the socket, decides: a socket left behind by a crash is replaced by the next
//! first launch, and two launches at the same moment can't both win.
//!
//! Why not tauri-plugin-single-instance on Unix: on Linux it talks D-Bus
//! through zbus, and zbus was 1.3 MB of an 8.5 MB binary for this one feature.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

const ACTIVATE: &str = "activate\n";
const DONE: &str = "done\n";
/// A request is one short line; a peer sending more is not a launch.
const MAX_LINE: usize = 64;
/// The whole request must arrive within this, however slowly it trickles.
const REQUEST_DEADLINE: Duration = Duration::from_secs(2);
/// Connections served at once.
const MAX_OPEN: usize = 8;

/// One line of at most `MAX_LINE` bytes, arriving within `REQUEST_DEADLINE` in total.
fn read_request(mut conn: &UnixStream) -> Option<String> {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let mut buf = Vec::with_capacity(MAX_LINE);
    let mut byte = [0u8; 1];
    while buf.last() != Some(&b'\n') {
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        conn.set_read_timeout(Some(left)).ok()?;
        match std::io::Read::read(&mut conn, &mut byte) {
            Ok(1) if buf.len() < MAX_LINE => buf.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(buf).ok()
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
    listener: UnixListener,
}

/// Claims instance `id` in `dir` (a private folder: the user's runtime folder
/// or the data folder), or hands over to the process that holds it.
pub fn claim(dir: &Path, id: &str, wait: Duration) -> Result<Claim> {
    let lock_path = dir.join(format!("{id}.lock"));
    let socket = dir.join(format!("{id}.sock"));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| Error::storage(&lock_path, e))?;
    match file.try_lock() {
        Ok(()) => {
            // Only the lock holder touches the socket path: what is there is a dead one's.
            let _ = fs::remove_file(&socket);
            let listener = UnixListener::bind(&socket).map_err(|e| Error::storage(&socket, e))?;
            Ok(Claim::First(FirstInstance { lock: file, listener }))
        }
        Err(TryLockError::WouldBlock) => Ok(match hand_over(&socket, wait) {
            Ok(()) => Claim::HandedOver,
            Err(detail) => Claim::Unanswered { detail },
        }),
        Err(TryLockError::Error(e)) => Err(Error::storage(&lock_path, e)),
    }
}

fn hand_over(socket: &Path, wait: Duration) -> std::result::Result<(), String> {
    let deadline = Instant::now() + wait;
    // The first may hold the lock a moment before it listens.
    let mut stream = loop {
        match UnixStream::connect(socket) {
            Ok(s) => break s,
            Err(e) if Instant::now() >= deadline => return Err(format!("connecting to {}: {e}", socket.display())),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(100));
    let mut answer = String::new();
    stream
        .set_read_timeout(Some(left))
        .and_then(|()| stream.write_all(ACTIVATE.as_bytes()))
        .and_then(|()| BufReader::new(&stream).read_line(&mut answer))
        .map_err(|e| match e.kind() {
            // What a read timeout looks like (EAGAIN on Linux).
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => format!("no answer within {:.1} s", wait.as_secs_f32()),
            _ => format!("waiting for its answer: {e}"),
        })?;
    if answer == DONE {
        Ok(())
    } else {
        Err("it closed the connection without answering".into())
    }
}

impl FirstInstance {
    /// Answers later launches on a thread of its own, calling `activate` for
    /// each. The lock is held until the process ends.
    pub fn serve(self, activate: impl Fn() + Send + Sync + 'static) -> Result<()> {
        let activate = std::sync::Arc::new(activate);
        let open = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
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
                    if open.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_OPEN {
                        open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                        continue;
                    }
                    let (activate, open) = (activate.clone(), open.clone());
                    let _ = std::thread::Builder::new().name("single-instance-conn".into()).spawn(move || {
                        if read_request(&conn).as_deref() == Some(ACTIVATE) {
                            activate();
                            let _ = (&conn).write_all(DONE.as_bytes());
                        }
                        open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    });
                }
            })
            .map(drop)
            .map_err(|e| Error::Internal { detail: format!("could not start the single-instance listener: {e}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a peer's bytes should read as: the first line, if it is short and UTF-8.
    fn expected(bytes: &[u8]) -> Option<String> {
        let end = bytes.iter().position(|b| *b == b'\n').filter(|p| *p < MAX_LINE)?;
        String::from_utf8(bytes[..=end].to_vec()).ok()
    }

    proptest! {
        /// Whatever a same-user peer sends (then hanging up), the listener reads one short
        /// line or nothing, and never holds more than a line.
        #[test]
        fn any_bytes_from_a_peer_are_one_short_line_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let (mut peer, conn) = UnixStream::pair().unwrap();
            peer.write_all(&bytes).unwrap();
            drop(peer);
            prop_assert_eq!(read_request(&conn), expected(&bytes));
        }

        /// Request-like lines: the real one, near misses, too long, with junk after.
        #[test]
        fn request_like_lines_are_read_exactly(
            head in prop::sample::select(vec!["activate", "activat", "ACTIVATE", "", "done"]),
            pad in 0usize..80,
            tail in "[a-z\n]{0,10}",
        ) {
            let text = format!("{head}{}\n{tail}", "x".repeat(pad));
            let (mut peer, conn) = UnixStream::pair().unwrap();
            peer.write_all(text.as_bytes()).unwrap();
            drop(peer);
            prop_assert_eq!(read_request(&conn), expected(text.as_bytes()));
        }
    }
}
