//! The keychain as the app holds it: opened (with its self-test) on first use,
//! and again after any "unavailable" failure, so a keychain that was locked, or
//! whose daemon restarted, works again without restarting the app.

use std::sync::{Arc, Mutex};

use super::SecretStore;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::sync::lock;

/// Opens the store: the platform keychain in the app, another store in tests.
pub type StoreOpener = Arc<dyn Fn() -> Result<Arc<dyn SecretStore>> + Send + Sync>;

pub struct Reconnecting {
    open: StoreOpener,
    current: Mutex<Option<Arc<dyn SecretStore>>>,
}

impl Reconnecting {
    pub fn new(open: StoreOpener) -> Self {
        Self { open, current: Mutex::new(None) }
    }

    /// The open store, opening it first if it isn't (or failed since).
    pub fn get_or_open(&self) -> Result<Arc<dyn SecretStore>> {
        let mut current = lock(&self.current);
        if let Some(store) = current.as_ref() {
            return Ok(store.clone());
        }
        match (self.open)() {
            Ok(store) => {
                tracing::info!("keychain opened; self-test passed");
                *current = Some(store.clone());
                Ok(store)
            }
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "keychain unavailable");
                Err(e)
            }
        }
    }

    fn run<T>(&self, op: impl FnOnce(&dyn SecretStore) -> Result<T>) -> Result<T> {
        let store = self.get_or_open()?;
        let result = op(store.as_ref());
        if matches!(result, Err(Error::KeychainUnavailable { .. })) {
            lock(&self.current).take();
        }
        result
    }
}

impl SecretStore for Reconnecting {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        self.run(|s| s.get(account))
    }
    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        self.run(|s| s.set(account, value))
    }
    fn delete(&self, account: &str) -> Result<()> {
        self.run(|s| s.delete(account))
    }
}
