//! The settings store: the settings in memory, and `update`, the only way to
//! change them. An update takes the write lock (in this process, and a lock
//! file for other processes: the window and command-line runs share the file),
//! re-reads the file if another process saved it, changes a copy, saves it
//! atomically and only then swaps it in. So no writer loses another's change,
//! a stale copy never overwrites newer status, and a failed save changes nothing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{Loaded, Settings, SettingsFile, Stamp, FILE_NAME, SETTINGS_VERSION};
use crate::error::{Error, Result};
use crate::notice::{Notice, NoticeCode};
use crate::store::filelock;
use crate::sync::lock;

/// How long an update waits for another process's settings save. A save takes
/// milliseconds and no keychain call happens under this lock, so a longer hold is a
/// hung or stopped process.
pub const SETTINGS_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct SettingsStore {
    file: SettingsFile,
    lock_path: PathBuf,
    current: Mutex<Arc<Settings>>,
    /// The file as last read or written here; a different one means another process saved.
    seen: Mutex<Option<Stamp>>,
    /// Held for a whole update: copy, change, save, swap.
    writes: Mutex<()>,
    /// Why settings can't be written, when they can't (a newer or unmovable file).
    read_only: Option<Error>,
}

impl SettingsStore {
    /// Loads `settings.json` from `dir`, and says what the user should know about it.
    pub fn open(dir: &Path) -> (Self, Vec<Notice>) {
        let file = SettingsFile::in_dir(dir);
        // The stamp before the read: a save by another process in between then makes the next
        // `reload_if_changed` read again. Taken after, it would mark that save as seen while
        // holding the content from before it (a command-line run refreshed on stale settings).
        let seen = Mutex::new(file.stamp());
        let mut notices = Vec::new();
        let mut read_only = None;
        let settings = match file.load() {
            Loaded::Fresh(s) | Loaded::Existing(s) => s,
            Loaded::Quarantined { reason, moved_to } => {
                if moved_to == file.path() {
                    read_only = Some(Error::Storage { path: moved_to.display().to_string(), detail: reason.clone() });
                }
                notices.push(Notice {
                    code: NoticeCode::SettingsQuarantined,
                    message: format!(
                        "The settings file could not be used because {reason}. It was kept as {} and Connector Console started with empty settings. Secrets in the keychain were not touched.",
                        moved_to.display()
                    ),
                });
                Settings::default()
            }
            Loaded::Unreadable { reason } => {
                notices.push(Notice {
                    code: NoticeCode::SettingsUnreadable,
                    message: format!(
                        "The settings file {} could not be read because {reason}. It was left as it is, and Connector Console shows nothing from it and writes nothing to it until it can be read (check its permissions), then restart.",
                        file.path().display()
                    ),
                });
                read_only = Some(Error::Storage { path: file.path().display().to_string(), detail: reason });
                Settings::default()
            }
            Loaded::TooNew { found } => {
                let e = Error::SettingsTooNew { found, supported: SETTINGS_VERSION };
                notices.push(Notice {
                    code: NoticeCode::SettingsTooNew,
                    message: format!("{e}. Nothing is shown from it and nothing will be written. {}", e.hint()),
                });
                read_only = Some(e);
                Settings::default()
            }
        };
        let lock_path = dir.join(format!(".{FILE_NAME}.lock"));
        let store = Self { file, lock_path, current: Mutex::new(Arc::new(settings)), seen, writes: Mutex::new(()), read_only };
        (store, notices)
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The settings as they are now. Cheap: readers share one copy.
    pub fn get(&self) -> Arc<Settings> {
        lock(&self.current).clone()
    }

    /// Fails when the file must not be written (see `read_only`).
    pub fn writable(&self) -> Result<()> {
        self.read_only.clone().map_or(Ok(()), Err)
    }

    /// The one way to change settings. `change` edits a copy; if it returns an
    /// error nothing is saved. Saved atomically before anyone sees the change.
    /// Called from async services: the waits for the locks and the save run off the
    /// async threads, and another process holding the file lock past
    /// [`SETTINGS_LOCK_WAIT`] is a `busy` error, not an endless wait.
    pub fn update<R>(&self, change: impl FnOnce(&mut Settings) -> Result<R>) -> Result<R> {
        self.writable()?;
        filelock::off_the_async_threads(|| {
            let _turn = lock(&self.writes);
            let _other_processes = filelock::lock_within(&self.lock_path, SETTINGS_LOCK_WAIT)?;
            self.reload_if_changed()?;
            let mut next = Settings::clone(&self.get());
            let out = change(&mut next)?;
            self.file.save(&next)?;
            *lock(&self.seen) = self.file.stamp();
            *lock(&self.current) = Arc::new(next);
            Ok(out)
        })
    }

    /// Re-reads the file if another process saved it since this one last
    /// read or wrote it. Returns whether anything was re-read.
    pub fn reload_if_changed(&self) -> Result<bool> {
        if self.read_only.is_some() {
            return Ok(false);
        }
        let stamp = self.file.stamp();
        if stamp.is_none() || stamp == *lock(&self.seen) {
            return Ok(false);
        }
        let settings = self.file.read()?;
        *lock(&self.seen) = stamp;
        *lock(&self.current) = Arc::new(settings);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_change_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (store, notices) = SettingsStore::open(dir.path());
        assert!(notices.is_empty());
        let err = store
            .update(|s| {
                s.sign_in_timeout_secs = 5;
                Err::<(), _>(Error::NotFound("x".into()))
            })
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
        assert_eq!(store.get().sign_in_timeout_secs, 600);
        assert!(!store.path().exists(), "nothing written");
    }

    #[test]
    fn another_processs_save_is_seen_and_never_overwritten_by_a_stale_copy() {
        let dir = tempfile::tempdir().unwrap();
        let (window, _) = SettingsStore::open(dir.path());
        let (cli, _) = SettingsStore::open(dir.path());
        let app = |n: u8| crate::model::ids::ClientId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap();
        window.update(|s| Ok(s.known_registrations.insert(app(1), "vso.work".into()))).unwrap();
        // The other process's copy is stale; its update re-reads first and keeps app 1's.
        cli.update(|s| Ok(s.known_registrations.insert(app(2), "vso.work".into()))).unwrap();
        assert_eq!(cli.get().known_registrations.len(), 2);
        assert!(window.reload_if_changed().unwrap(), "the window notices the other save");
        assert_eq!(window.get().known_registrations.len(), 2);
        assert!(!window.reload_if_changed().unwrap(), "and only once");
    }

    /// Waiting for another process's lock must not stall the runtime's other tasks: with one
    /// worker, a task waiting on the held lock used to block the ticker beside it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn waiting_for_another_processs_save_stalls_no_other_task() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SettingsStore::open(dir.path()).0);
        let held = filelock::lock(&dir.path().join(".settings.json.lock")).unwrap();
        let waiting = {
            let store = store.clone();
            tokio::spawn(async move {
                store.update(|s| {
                    s.sign_in_timeout_secs = 5;
                    Ok(())
                })
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let ticker = tokio::spawn(async { tokio::time::sleep(std::time::Duration::from_millis(10)).await });
        let ticked = tokio::time::timeout(std::time::Duration::from_secs(2), ticker).await;
        drop(held);
        assert!(ticked.is_ok(), "the other task stalled behind the lock wait");
        waiting.await.unwrap().unwrap();
        assert_eq!(store.get().sign_in_timeout_secs, 5);
    }

    #[test]
    fn a_newer_file_makes_the_store_read_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), br#"{"version": 9}"#).unwrap();
        let (store, notices) = SettingsStore::open(dir.path());
        assert_eq!(notices[0].code, NoticeCode::SettingsTooNew);
        assert_eq!(store.update(|_| Ok(())).unwrap_err().code(), "settings_too_new");
    }
}
