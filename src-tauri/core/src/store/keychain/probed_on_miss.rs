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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::tests::Lying;
    use super::*;
    use crate::store::keychain::SERVICE;

    fn over(store: Arc<keyring_core::CredentialStore>) -> ProbedOnMiss {
        ProbedOnMiss::new(Keychain { store, service: SERVICE.into() })
    }

    /// A found secret needs no probe: its keychain works. (Lying fails every probe.)
    #[test]
    fn a_found_secret_is_returned_without_a_probe() {
        let store = over(Arc::new(Lying { reads: Some(b"the-token") }));
        assert_eq!(store.get("installation/x/tokens").unwrap().unwrap().expose(), "the-token");
    }

    /// A miss is a real miss only when the keychain passes its probe; a keychain that hides
    /// its items (locked) says so instead of "signed out".
    #[test]
    fn a_miss_is_probed_and_a_failed_probe_is_the_answer() {
        let hiding = over(Arc::new(Lying { reads: None }));
        let e = hiding.get("installation/x/tokens").unwrap_err();
        assert_eq!(e.code(), "keychain_unavailable", "{e:?}");
        let working = over(keyring_core::mock::Store::new().unwrap());
        assert!(working.get("installation/x/tokens").unwrap().is_none(), "nothing there, and the keychain works");
    }

    #[test]
    fn writes_and_deletes_reach_the_keychain() {
        let store = over(keyring_core::mock::Store::new().unwrap());
        store.set("installation/x/tokens", &Secret::new(String::from("v"))).unwrap();
        assert_eq!(store.get("installation/x/tokens").unwrap().unwrap().expose(), "v");
        store.delete("installation/x/tokens").unwrap();
        assert!(store.get("installation/x/tokens").unwrap().is_none());
    }
}
