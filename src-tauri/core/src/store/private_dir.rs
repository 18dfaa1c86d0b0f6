//! The data folder holds names, emails and organizations: only its owner may
//! read it (0700 on Unix; Windows profiles are per-user already).

use std::path::Path;

pub fn create(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}
