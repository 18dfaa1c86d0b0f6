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
}
