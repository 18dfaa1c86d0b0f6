//! Files the user asked for (an export, a diagnostics bundle) go to a folder
//! they chose, under a free name: an existing file is never overwritten.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `bytes` to the first free name in `dir`: `{stem}.{ext}`, then `{stem}-2.{ext}`, …
pub fn create_new(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::storage(dir, e))?;
    for n in 1u32..10_000 {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") };
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Exports and diagnostics name organizations and people: for their owner only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, bytes).map_err(|e| Error::storage(&path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::storage(&path, e)),
        }
    }
    Err(Error::storage(dir, std::io::Error::other("no free file name")))
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn a_new_file_is_for_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = super::create_new(dir.path(), "export", "json", b"{}").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_taken_name_is_never_overwritten_and_the_next_is_numbered_from_2() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("export.json"), "the user's").unwrap();
        let second = super::create_new(dir.path(), "export", "json", b"new").unwrap();
        assert_eq!(second, dir.path().join("export-2.json"));
        let third = super::create_new(dir.path(), "export", "json", b"newer").unwrap();
        assert_eq!(third, dir.path().join("export-3.json"));
        assert_eq!(std::fs::read_to_string(dir.path().join("export.json")).unwrap(), "the user's");
        assert_eq!(std::fs::read_to_string(second).unwrap(), "new");
        let fresh = tempfile::tempdir().unwrap();
        assert_eq!(super::create_new(fresh.path(), "export", "json", b"{}").unwrap(), fresh.path().join("export.json"));
    }

    /// Only a taken name moves on to the next: any other failure is the one reported, at once.
    #[test]
    fn a_name_the_os_refuses_is_reported_not_taken_for_a_busy_one() {
        let dir = tempfile::tempdir().unwrap();
        let e = super::create_new(dir.path(), &"x".repeat(300), "json", b"{}").unwrap_err();
        assert!(!e.to_string().contains("no free file name"), "{e}");
        assert!(e.to_string().contains(&"x".repeat(300)), "names the file: {e}");
    }
}
