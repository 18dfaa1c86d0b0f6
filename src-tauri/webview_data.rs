//! Where the webviews keep their data (cookies, caches): a private folder for
//! this run, in the per-user runtime directory (a tmpfs cleared at logout)
//! when there is one, removed when the app exits. Microsoft's session cookies
//! from a sign-in therefore never persist: the next person at the machine is
//! not signed in as the previous one. Both windows share it, because WebKitGTK
//! allows one automatable context and the main window needs none of its own.

use std::path::{Path, PathBuf};

pub struct WebviewData(PathBuf);

impl WebviewData {
    pub fn create() -> std::io::Result<Self> {
        let base = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|d| d.is_dir()).unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("connector-console-webview-{}-{:08x}", std::process::id(), rand_suffix()));
        connector_core::store::private_dir::create(&dir)?;
        Ok(Self(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn remove(&self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(dir = %self.0.display(), error = %e, "could not remove the webview data folder");
        }
    }
}

fn rand_suffix() -> u32 {
    // Unique enough with the pid; avoids predictable names in a shared /tmp.
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}
