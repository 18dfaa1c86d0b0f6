//! Where the webviews keep their data (cookies, caches): a private folder for
//! this run, in the per-user runtime directory (a tmpfs cleared at logout)
//! when there is one, removed when the app exits. Microsoft's session cookies
//! from a sign-in therefore never persist: the next person at the machine is
//! not signed in as the previous one. Both windows share it, because WebKitGTK
//! allows one automatable context and the main window needs none of its own.
//!
//! A run that ends without exiting (killed, crashed, power lost) can't remove its folder,
//! so each run holds a lock file inside its own, and every start removes the folders whose
//! lock nobody holds any more.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use connector_core::store::filelock::{self, FileLock};

const PREFIX: &str = "connector-console-webview-";
const OWNER: &str = "owner.lock";
/// A folder this young may belong to a run that has not taken its lock yet.
const GRACE: std::time::Duration = std::time::Duration::from_secs(60);

pub struct WebviewData {
    dir: PathBuf,
    /// Held for the life of the run: the folder is in use while it is.
    owner: Mutex<Option<FileLock>>,
}

impl WebviewData {
    pub fn create() -> connector_core::Result<Self> {
        let base = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|d| d.is_dir()).unwrap_or_else(std::env::temp_dir);
        sweep(&base);
        // The pid (which run it is), then a random part no other user can guess or take first;
        // made owner-only (0700) at once.
        let dir = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .tempdir_in(&base)
            .map_err(|e| connector_core::Error::storage(&base, e))?
            .keep();
        let owner = filelock::lock(&dir.join(OWNER))?;
        Ok(Self { dir, owner: Mutex::new(Some(owner)) })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    pub fn remove(&self) {
        // Released first: Windows can't delete a file that is open.
        connector_core::sync::lock(&self.owner).take();
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "could not remove the webview data folder");
        }
    }
}

/// Removes the webview folders of runs that ended without removing theirs.
fn sweep(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(PREFIX) && entry.file_type().is_ok_and(|t| t.is_dir());
        let settled = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > GRACE));
        if !ours || !settled {
            continue;
        }
        match filelock::try_lock(&path.join(OWNER)) {
            Ok(Some(abandoned)) => {
                drop(abandoned);
                match std::fs::remove_dir_all(&path) {
                    Ok(()) => tracing::info!(dir = %path.display(), "removed the webview data a run left behind"),
                    Err(e) => tracing::warn!(dir = %path.display(), error = %e, "could not remove a webview data folder a run left behind"),
                }
            }
            Ok(None) => {} // another window is running
            Err(e) => tracing::warn!(dir = %path.display(), error = %e, "could not check a webview data folder"),
        }
    }
}
