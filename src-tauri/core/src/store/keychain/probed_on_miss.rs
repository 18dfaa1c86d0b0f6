//! The command line's keychain: the self-test runs only when a read finds nothing.
//!
//! The window probes the keychain at start (a write and a delete, each saved to disk
//! by the keyring daemon). A `token` run, which Git pays on every fetch, spent a third
//! of its time there. Skipping it is safe only for a read that finds its secret: a
//! locked Secret Service collection hides its items, so a missing entry may mean
//! "locked" rather than "signed out". Then, and only then, the probe tells them apart.

use std::sync::OnceLock;

use super::{Keychain, SecretStore};
use crate::error::{Error, Result};
use crate::secret::Secret;

pub struct ProbedOnMiss {
    inner: Keychain,
    /// The probe's outcome, kept: a keychain that failed it fails every later miss too.
    probed: OnceLock<Option<Error>>,
}

impl ProbedOnMiss {
    pub fn new(inner: Keychain) -> Self {
        Self { inner, probed: OnceLock::new() }
    }

    /// Self-tests once per run; a miss after a passing probe is a real miss.
    fn probe(&self) -> Result<()> {
        match self.probed.get_or_init(|| self.inner.self_test().err()) {
            None => Ok(()),
            Some(e) => Err(e.clone()),
        }
    }
}

impl SecretStore for ProbedOnMiss {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        match self.inner.get(account)? {
            Some(v) => Ok(Some(v)),
            None => self.probe().map(|()| None),
        }
    }

    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        self.inner.set(account, value)
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.inner.delete(account)
    }
}
