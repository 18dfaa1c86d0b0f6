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
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
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
