//! The app's state, independent of any window: where data lives, and whether
//! the keychain works. Tauri commands are thin calls onto this.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::OnceCell;

use crate::error::UiError;
use crate::keychain::Keychain;

pub struct Console {
    data_dir: PathBuf,
    keychain: OnceCell<Result<Arc<Keychain>, UiError>>,
}

/// What the UI shows about the keychain: usable, or why not and what to do.
#[derive(Debug, Clone, Serialize)]
pub struct KeychainStatus {
    pub available: bool,
    pub error: Option<UiError>,
}

impl Console {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self { data_dir: data_dir.into(), keychain: OnceCell::new() }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Opens the keychain and runs its self-test once; later calls reuse the result.
    /// The keychain calls block on D-Bus, so they run off the async threads.
    pub async fn keychain(&self) -> Result<Arc<Keychain>, UiError> {
        self.keychain
            .get_or_init(|| async {
                let probe = tokio::task::spawn_blocking(|| {
                    let kc = Keychain::open_platform()?;
                    kc.self_test()?;
                    Ok::<_, crate::Error>(Arc::new(kc))
                })
                .await;
                match probe {
                    Ok(Ok(kc)) => {
                        tracing::info!("keychain self-test passed");
                        Ok(kc)
                    }
                    Ok(Err(e)) => {
                        tracing::warn!(code = e.code(), error = %e, "keychain self-test failed");
                        Err(e.to_ui())
                    }
                    Err(join) => Err(UiError {
                        code: "keychain_unavailable".into(),
                        message: format!("The keychain self-test crashed: {join}"),
                        hint: "Restart the app. If this repeats, report it with the log file.".into(),
                    }),
                }
            })
            .await
            .clone()
    }

    pub async fn keychain_status(&self) -> KeychainStatus {
        match self.keychain().await {
            Ok(_) => KeychainStatus { available: true, error: None },
            Err(e) => KeychainStatus { available: false, error: Some(e) },
        }
    }
}
