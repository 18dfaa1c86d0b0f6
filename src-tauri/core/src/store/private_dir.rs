//! The data folder holds names, emails and organizations: only its owner may
//! read it (0700 on Unix; Windows profiles are per-user already).

use std::path::Path;

/// Creates the folder for its owner only; one made before (0755 by an older
/// version, or by hand) is tightened, so the modes hold at every start.
pub fn create(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    /// The mode (with its special bits) of a folder made with `mode`, after `create`.
    fn mode_after_create(mode: u32) -> u32 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(mode)).unwrap();
        super::create(&data).unwrap();
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn an_existing_open_folder_is_tightened() {
        assert_eq!(mode_after_create(0o755) & 0o777, 0o700);
    }

    /// Only an open folder is changed: a private one keeps its mode, special bits included.
    #[test]
    fn a_private_folder_is_left_as_it_is() {
        assert_eq!(mode_after_create(0o1700), 0o1700);
    }
}
