//! The settings store: the settings in memory, and `update`, the only way to
//! change them. An update takes the write lock, changes a copy, saves it
//! atomically and only then swaps it in, so concurrent writers never lose each
//! other's changes and a failed save changes nothing.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{Loaded, Settings, SettingsFile, SETTINGS_VERSION};
use crate::error::{Error, Result};
use crate::notice::{Notice, NoticeCode};

pub struct SettingsStore {
    file: SettingsFile,
    current: Mutex<Arc<Settings>>,
    /// Held for a whole update: copy, change, save, swap.
    writes: Mutex<()>,
    /// Why settings can't be written, when they can't (a newer or unmovable file).
    read_only: Option<Error>,
}

/// A panic elsewhere must not make the settings unusable: the data under the
/// lock is only ever replaced whole, so it is consistent even after one.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SettingsStore {
    /// Loads `settings.json` from `dir`, and says what the user should know about it.
    pub fn open(dir: &Path) -> (Self, Vec<Notice>) {
        let file = SettingsFile::in_dir(dir);
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
        let store = Self { file, current: Mutex::new(Arc::new(settings)), writes: Mutex::new(()), read_only };
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
    pub fn update<R>(&self, change: impl FnOnce(&mut Settings) -> Result<R>) -> Result<R> {
        self.writable()?;
        let _turn = lock(&self.writes);
        let mut next = Settings::clone(&self.get());
        let out = change(&mut next)?;
        self.file.save(&next)?;
        *lock(&self.current) = Arc::new(next);
        Ok(out)
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
    fn a_newer_file_makes_the_store_read_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), br#"{"version": 9}"#).unwrap();
        let (store, notices) = SettingsStore::open(dir.path());
        assert_eq!(notices[0].code, NoticeCode::SettingsTooNew);
        assert_eq!(store.update(|_| Ok(())).unwrap_err().code(), "settings_too_new");
    }
}
