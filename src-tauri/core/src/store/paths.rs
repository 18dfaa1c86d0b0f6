//! Where the app keeps its data, the same for the window and both command lines:
//! `CONNECTOR_CONSOLE_DATA_DIR`, else the OS data folder + the bundle identifier
//! (what Tauri's `app_data_dir` gives, e.g. `~/.local/share/com.connectorconsole.desktop`).

use std::path::PathBuf;

pub const DATA_DIR_VAR: &str = "CONNECTOR_CONSOLE_DATA_DIR";

/// The bundle identifier in tauri.conf.json (a test in the app checks they agree). Written
/// here, not read from the file at build time, so the command line builds without Tauri.
pub const IDENTIFIER: &str = "com.connectorconsole.desktop";

/// FNV-1a, 64-bit: a stable name from a path (the standard library's hasher changes between builds).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_VAR) {
        Some(dir) if !dir.is_empty() => Some(canonical(PathBuf::from(dir))),
        _ => dirs::data_dir().map(|d| d.join(IDENTIFIER)),
    }
}

/// The folder's one spelling: resolved when it exists, else its parent resolved
/// (a folder about to be created), else as given.
pub fn canonical(dir: PathBuf) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(&dir) {
        return c;
    }
    match (dir.parent().and_then(|p| std::fs::canonicalize(p).ok()), dir.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => dir,
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical, fnv1a};

    /// The published FNV-1a 64-bit test vectors: a socket's name must not change between builds.
    #[test]
    fn fnv1a_is_the_published_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn one_folder_has_one_spelling() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let plain = canonical(data.clone());
        assert_eq!(canonical(tmp.path().join("data/")), plain);
        assert_eq!(canonical(tmp.path().join("./data")), plain);
        std::fs::create_dir(tmp.path().join("x")).unwrap();
        assert_eq!(canonical(tmp.path().join("x/../data")), plain);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&data, tmp.path().join("link")).unwrap();
            assert_eq!(canonical(tmp.path().join("link")), plain);
        }
        let later = canonical(tmp.path().join("not-yet/"));
        assert_eq!(later, canonical(tmp.path().to_path_buf()).join("not-yet"));
        assert_eq!(canonical(tmp.path().join("x/../not-yet")), later, "its parent resolved");
    }
}
