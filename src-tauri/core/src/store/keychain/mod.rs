//! Secrets in the OS keychain, and nowhere else.
//!
//! The platform store is chosen explicitly (Secret Service on Linux, Keychain on
//! macOS, Credential Manager on Windows). There is no fallback: not to plaintext,
//! not to an in-memory store, not to kernel keyutils. If the keychain can't be
//! used, callers get [`Error::KeychainUnavailable`] and the UI says so.

mod accounts;
mod chunked;
mod probed_on_miss;
mod reconnecting;

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

pub use accounts::{installation_secret, installation_tokens, library_secret, managed_secret, shared_secret_before_kinds};
pub use chunked::Chunked;
pub use reconnecting::{Reconnecting, StoreOpener};

use crate::error::{Error, KeychainProblem, Result};
use crate::secret::Secret;

/// The keychain "service" every Connector Console entry is filed under.
pub const SERVICE: &str = "connector-console";

/// The window's store: the platform keychain, self-tested, split into parts
/// where the platform caps value sizes.
pub fn open_platform_store() -> Result<Arc<dyn SecretStore>> {
    let kc = Keychain::open_platform()?;
    kc.self_test()?;
    Ok(Arc::new(Chunked::new(kc, platform_value_limit())))
}

/// The same store for one command-line run: self-tested only when a read finds
/// nothing (see [`probed_on_miss`]), so a `token` run with its tokens in place
/// doesn't pay for a write and a delete.
pub fn open_platform_store_for_one_run() -> Result<Arc<dyn SecretStore>> {
    let kc = probed_on_miss::ProbedOnMiss::new(Keychain::open_platform()?);
    Ok(Arc::new(Chunked::new(kc, platform_value_limit())))
}

/// Where secrets are kept. The real implementation is [`Keychain`]; tests of
/// pure logic may use an in-memory one.
pub trait SecretStore: Send + Sync {
    /// `Ok(None)` when nothing is stored under `account`.
    fn get(&self, account: &str) -> Result<Option<Secret>>;
    fn set(&self, account: &str, value: &Secret) -> Result<()>;
    /// Deleting something that is not there succeeds.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The OS keychain, through the `keyring-core` stack.
pub struct Keychain {
    store: Arc<CredentialStore>,
    service: String,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain").field("service", &self.service).finish()
    }
}

impl Keychain {
    /// Opens this platform's keychain. Fails when it can't be reached at all.
    pub fn open_platform() -> Result<Self> {
        Ok(Self { store: platform_store()?, service: SERVICE.to_string() })
    }

    /// Writes, reads back and deletes a probe credential. Run at start-up so a
    /// broken keychain is reported before the user types a secret.
    pub fn self_test(&self) -> Result<()> {
        // A probe of its own: the window and many command-line runs may start at once,
        // and one's delete must not pull the probe from under another's read.
        let nonce: u64 = rand::random();
        let account = &format!("self-test/probe-{}-{nonce:016x}", std::process::id());
        let probe = Secret::new(format!("probe-{nonce:016x}"));
        self.set(account, &probe)?;
        let read = self.get(account);
        let deleted = self.delete(account);
        match read? {
            Some(v) if v == probe => {}
            _ => {
                return Err(Error::KeychainUnavailable {
                    problem: KeychainProblem::Other,
                    detail: "a probe written to the keychain could not be read back".into(),
                })
            }
        }
        deleted
    }

    fn entry(&self, account: &str) -> Result<Entry> {
        Entry::new_in_store(&self.store, &self.service, account).map_err(map_error)
    }
}

impl SecretStore for Keychain {
    fn get(&self, account: &str) -> Result<Option<Secret>> {
        match self.entry(account)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(keyring_core::Error::BadEncoding(_)) => Err(Error::KeychainCorrupt { account: account.to_string() }),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, account: &str, value: &Secret) -> Result<()> {
        self.entry(account)?.set_password(value.expose()).map_err(map_error)
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// Windows Credential Manager caps a credential at 2,560 bytes, stored as
/// UTF-16: about 1,280 characters. Real Entra access + refresh tokens are
/// longer, so there values are split over several entries. Elsewhere the cap
/// is far above anything stored here.
pub const fn platform_value_limit() -> usize {
    if cfg!(windows) {
        1_200
    } else {
        1 << 20
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let store = dbus_secret_service_keyring_store::Store::new().map_err(map_error)?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(map_error)?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let store = windows_native_keyring_store::Store::new().map_err(map_error)?;
    Ok(store)
}

/// Turns a keyring error into a stable problem kind. D-Bus error *names* are
/// matched, not localized messages, so this works in any locale.
fn map_error(e: keyring_core::Error) -> Error {
    let detail = e.to_string();
    let problem = classify(&e, &detail);
    Error::KeychainUnavailable { problem, detail }
}

fn classify(e: &keyring_core::Error, detail: &str) -> KeychainProblem {
    if matches!(e, keyring_core::Error::NoStorageAccess(_)) {
        return KeychainProblem::Locked;
    }
    if detail.contains("ServiceUnknown") || detail.contains("org.freedesktop.secrets") {
        return KeychainProblem::NoSecretService;
    }
    if detail.contains("DBUS_SESSION_BUS_ADDRESS")
        || detail.contains("NotFound")
        || detail.contains("No such file")
        || detail.contains("Connection refused")
        || detail.contains("/bus")
    {
        return KeychainProblem::NoSessionBus;
    }
    KeychainProblem::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keychain provider that accepts every write and answers every read with `reads`
    /// (`None`: nothing there), as a broken Secret Service provider can (and a locked
    /// collection, which hides its items). Also the command line's store's tests'.
    pub(super) struct Lying {
        pub(super) reads: Option<&'static [u8]>,
    }

    impl keyring_core::api::CredentialApi for Lying {
        fn set_secret(&self, _: &[u8]) -> keyring_core::Result<()> {
            Ok(())
        }
        fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
            self.reads.map(<[u8]>::to_vec).ok_or(keyring_core::Error::NoEntry)
        }
        fn delete_credential(&self) -> keyring_core::Result<()> {
            Ok(())
        }
        fn get_credential(&self) -> keyring_core::Result<Option<Arc<keyring_core::Credential>>> {
            Ok(None)
        }
        fn get_specifiers(&self) -> Option<(String, String)> {
            None
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    impl keyring_core::api::CredentialStoreApi for Lying {
        fn vendor(&self) -> String {
            "a provider that loses writes".into()
        }
        fn id(&self) -> String {
            self.vendor()
        }
        fn build(&self, _: &str, _: &str, _: Option<&std::collections::HashMap<&str, &str>>) -> keyring_core::Result<Entry> {
            Ok(Entry::new_with_credential(Arc::new(Lying { reads: self.reads })))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn the_self_test_fails_when_the_probe_does_not_come_back() {
        for reads in [None, Some(&b"an older value"[..])] {
            let kc = Keychain { store: Arc::new(Lying { reads }), service: SERVICE.into() };
            let err = kc.self_test().unwrap_err();
            assert!(
                matches!(&err, Error::KeychainUnavailable { problem: KeychainProblem::Other, detail } if detail.contains("could not be read back")),
                "{reads:?}: {err:?}"
            );
        }
    }

    #[test]
    fn a_keychain_shows_its_service_and_nothing_of_its_store() {
        let kc = Keychain { store: Arc::new(Lying { reads: None }), service: SERVICE.into() };
        assert_eq!(format!("{kc:?}"), "Keychain { service: \"connector-console\" }");
    }

    #[test]
    fn each_sign_of_a_missing_provider_or_bus_is_recognised_on_its_own() {
        let kind = |text: &str| classify(&keyring_core::Error::PlatformFailure(Box::new(std::io::Error::other(text.to_string()))), text);
        for text in ["org.freedesktop.DBus.Error.ServiceUnknown", "nothing provides org.freedesktop.secrets"] {
            assert_eq!(kind(text), KeychainProblem::NoSecretService, "{text}");
        }
        for text in [
            "DBUS_SESSION_BUS_ADDRESS is not set",
            "NotFound",
            "No such file or directory",
            "Connection refused",
            "socket /run/user/1000/bus",
        ] {
            assert_eq!(kind(text), KeychainProblem::NoSessionBus, "{text}");
        }
        assert_eq!(kind("the provider crashed"), KeychainProblem::Other);
    }

    #[test]
    fn a_value_is_split_only_where_the_platform_caps_its_size() {
        // Under Windows' 2,560-byte cap (UTF-16, so 1,280 characters); elsewhere a real Entra
        // token pair (a few KiB, with room to grow) is stored whole.
        let limit = platform_value_limit();
        if cfg!(windows) {
            assert!((1_000..=1_280).contains(&limit), "{limit}");
        } else {
            assert!(limit >= 64 * 1024, "{limit}");
        }
    }

    #[test]
    fn locked_store_is_reported_as_locked() {
        let e = keyring_core::Error::NoStorageAccess(Box::new(std::io::Error::other("x")));
        let Error::KeychainUnavailable { problem, .. } = map_error(e) else { panic!() };
        assert_eq!(problem, KeychainProblem::Locked);
    }

    #[test]
    fn missing_provider_and_missing_bus_are_told_apart() {
        let no_provider = keyring_core::Error::PlatformFailure(Box::new(std::io::Error::other(
            "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided",
        )));
        let no_bus = keyring_core::Error::PlatformFailure(Box::new(std::io::Error::other(
            "I/O error: No such file or directory (os error 2) NotFound /run/user/0/bus",
        )));
        let kind = |e| match map_error(e) {
            Error::KeychainUnavailable { problem, .. } => problem,
            _ => unreachable!(),
        };
        assert_eq!(kind(no_provider), KeychainProblem::NoSecretService);
        assert_eq!(kind(no_bus), KeychainProblem::NoSessionBus);
    }
}
