//! The settings file: versioned JSON in the app's data directory, written
//! atomically (temp file, fsync, rename, fsync the directory). It never holds
//! a secret. A corrupt or unreadable file is moved aside and the app starts
//! with empty settings; a file from a newer version is refused, never overwritten.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{now_secs, Settings, FILE_NAME, SETTINGS_VERSION};
use crate::error::{Error, Result};

/// The settings file's modification time and size, to notice another process's save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    file_id: u64,
}

/// What loading found, for the UI to explain.
#[derive(Debug)]
pub enum Loaded {
    Fresh(Settings),
    Existing(Settings),
    /// The file couldn't be read; it was moved to `moved_to`.
    Quarantined {
        reason: String,
        moved_to: PathBuf,
    },
    /// It exists but could not be read (permissions, I/O): left where it is, nothing is written.
    Unreadable {
        reason: String,
    },
    /// A newer app wrote it: readable settings are not guaranteed, so nothing is used or written.
    TooNew {
        found: u32,
    },
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

pub struct SettingsFile {
    path: PathBuf,
}

/// Unix syncs a directory through a handle to it; Windows can't open one (and
/// its rename is durable by itself), so there is nothing to do.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

impl SettingsFile {
    pub fn in_dir(dir: &Path) -> Self {
        Self { path: dir.join(FILE_NAME) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Loaded {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Fresh(Settings::default()),
            // Permissions or I/O: the file may well be good, so it is never moved aside.
            Err(e) => return Loaded::Unreadable { reason: format!("it could not be read ({e})") },
        };
        // Look at the version first: a newer format may not parse as ours at all.
        match serde_json::from_slice::<VersionOnly>(&bytes) {
            Ok(v) if v.version > SETTINGS_VERSION => return Loaded::TooNew { found: v.version },
            Ok(_) => {}
            Err(e) => return self.quarantine(format!("it is not valid settings JSON ({e})")),
        }
        match serde_json::from_slice::<Settings>(&bytes) {
            Ok(s) => Loaded::Existing(s),
            Err(e) => self.quarantine(format!("it is not valid settings JSON ({e})")),
        }
    }

    /// Reads the file another process wrote; unlike `load`, never moves it aside.
    pub fn read(&self) -> Result<Settings> {
        let bytes = fs::read(&self.path).map_err(|e| Error::storage(&self.path, e))?;
        match serde_json::from_slice::<VersionOnly>(&bytes) {
            Ok(v) if v.version > SETTINGS_VERSION => return Err(Error::SettingsTooNew { found: v.version, supported: SETTINGS_VERSION }),
            _ => {}
        }
        serde_json::from_slice(&bytes).map_err(|e| Error::storage(&self.path, format!("it is not valid settings JSON ({e})")))
    }

    /// What identifies the file's current content: changed by every save (a rename).
    pub fn stamp(&self) -> Option<Stamp> {
        let m = fs::metadata(&self.path).ok()?;
        // Every save renames a new file into place: on Unix its inode alone tells saves apart.
        #[cfg(unix)]
        let file_id = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let file_id = 0;
        Some(Stamp { modified: m.modified().ok(), len: m.len(), file_id })
    }

    fn quarantine(&self, reason: String) -> Loaded {
        let moved_to = self.path.with_file_name(format!("{FILE_NAME}.corrupt-{}", now_secs()));
        match fs::rename(&self.path, &moved_to) {
            Ok(()) => {
                tracing::warn!(reason, moved_to = %moved_to.display(), "settings file quarantined");
                Loaded::Quarantined { reason, moved_to }
            }
            // Can't move it: treat like a newer file, so it is never overwritten.
            Err(e) => {
                tracing::error!(error = %e, "settings file unreadable and could not be moved aside");
                Loaded::Quarantined { reason: format!("{reason}; moving it aside failed too ({e})"), moved_to: self.path.clone() }
            }
        }
    }

    /// Replaces the file atomically: readers see the old or the new file, never a mix.
    /// The temp file is unique and created exclusively (mode 0600: the file names
    /// people and organizations), so overlapping saves can't tear each other's.
    pub fn save(&self, settings: &Settings) -> Result<()> {
        let dir = self.path.parent().ok_or_else(|| Error::storage(&self.path, "no parent directory"))?;
        crate::store::private_dir::create(dir).map_err(|e| Error::storage(dir, e))?;
        let json = serde_json::to_vec_pretty(settings).map_err(|e| Error::storage(&self.path, e))?;
        let mut tmp =
            tempfile::Builder::new().prefix(&format!(".{FILE_NAME}.tmp-")).tempfile_in(dir).map_err(|e| Error::storage(dir, e))?;
        tmp.write_all(&json).and_then(|()| tmp.as_file().sync_all()).map_err(|e| Error::storage(tmp.path(), e))?;
        // On failure the temp file is removed when `tmp` drops.
        tmp.persist(&self.path).map_err(|e| Error::storage(&self.path, e.error))?;
        // The rename is durable only once the directory is synced. The change is already
        // visible, so a failure here is a warning, never a reason to roll back.
        if let Err(e) = sync_dir(dir) {
            tracing::warn!(dir = %dir.display(), error = %e, "settings saved, but the folder could not be synced");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::library_entry::LibraryEntry;
    use crate::model::registration::AuthKind;

    fn entry() -> LibraryEntry {
        LibraryEntry {
            auth_type: AuthKind::Legacy,
            values: BTreeMap::from([("client_id".into(), "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f".into())]),
            has_secret: true,
            updated_at: 1,
        }
    }

    #[test]
    fn missing_file_is_fresh_and_a_save_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        assert!(matches!(file.load(), Loaded::Fresh(_)));
        let mut s = Settings::default();
        s.library.insert("azure-devops".into(), entry());
        file.save(&s).unwrap();
        match file.load() {
            Loaded::Existing(back) => assert_eq!(back, s),
            other => panic!("{other:?}"),
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, [std::ffi::OsString::from(FILE_NAME)], "no temp file left behind");
    }

    #[test]
    fn corrupt_file_is_moved_aside_with_a_timestamp() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        fs::write(file.path(), b"{\"version\": 1, \"library\": {oops").unwrap();
        match file.load() {
            Loaded::Quarantined { reason, moved_to } => {
                assert!(reason.contains("not valid"));
                assert!(moved_to.file_name().unwrap().to_str().unwrap().starts_with("settings.json.corrupt-"));
                assert_eq!(fs::read(&moved_to).unwrap(), b"{\"version\": 1, \"library\": {oops");
            }
            other => panic!("{other:?}"),
        }
        assert!(!file.path().exists());
        assert!(matches!(file.load(), Loaded::Fresh(_)));
    }

    #[test]
    fn newer_version_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        let newer = br#"{"version": 7, "something": "new"}"#;
        fs::write(file.path(), newer).unwrap();
        assert!(matches!(file.load(), Loaded::TooNew { found: 7 }));
        // Another process's newer save, read while this one runs, is refused the same way.
        assert_eq!(file.read().unwrap_err().code(), "settings_too_new");
        assert_eq!(fs::read(file.path()).unwrap(), newer);
    }

    #[test]
    fn a_file_without_a_version_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        fs::write(file.path(), b"[]").unwrap();
        assert!(matches!(file.load(), Loaded::Quarantined { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_file_is_left_in_place_and_saves_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        file.save(&Settings::default()).unwrap();
        assert_eq!(fs::metadata(file.path()).unwrap().permissions().mode() & 0o777, 0o600);
        // A directory where the file should be: reading fails with an I/O error, not a parse error.
        let odd = tempfile::tempdir().unwrap();
        fs::create_dir(odd.path().join(FILE_NAME)).unwrap();
        let odd_file = SettingsFile::in_dir(odd.path());
        assert!(matches!(odd_file.load(), Loaded::Unreadable { .. }));
        assert!(odd.path().join(FILE_NAME).is_dir(), "not moved aside");
    }

    #[test]
    fn overlapping_saves_never_tear_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        // Eight writers at once overlap on every save; more saves each add only fsyncs, which
        // cost 90 ms apiece on this CI's disk (25 each made this the core's slowest test, 36 s).
        let writers: Vec<_> = (0..8)
            .map(|n| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let file = SettingsFile::in_dir(&path);
                    for k in 0..5 {
                        let mut s = Settings::default();
                        let app = crate::model::ids::ClientId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap();
                        s.known_registrations.insert(app, "x".repeat(100 * (k + 1)).into());
                        file.save(&s).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        assert!(matches!(SettingsFile::in_dir(dir.path()).load(), Loaded::Existing(_)), "a whole file");
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp files left behind");
    }
}
