//! Windows only: the keychain module against the Windows Credential Manager itself
//! (CredWrite/CredRead/CredDelete), including a value longer than one credential
//! holds, which the store splits into parts. On Linux this file is empty; it is run
//! under Wine by `scripts/wine-check.sh`.
#![cfg(windows)]

use connector_core::store::keychain::{platform_value_limit, Chunked, Keychain, SecretStore};
use connector_core::Secret;

fn text(store: &impl SecretStore, account: &str) -> Option<String> {
    store.get(account).unwrap().map(|s| s.expose().to_string())
}

#[test]
fn a_long_token_is_split_read_back_whole_and_deleted_with_its_parts() {
    let store = Chunked::new(Keychain::open_platform().unwrap(), platform_value_limit());
    let raw = Keychain::open_platform().unwrap();
    let account = format!("wine-check/{}", std::process::id());
    // An Entra access and refresh token pair is several kilobytes: more than one 2,560-byte credential.
    let long: String = (0..5_000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    store.set(&account, &Secret::new(long.clone())).unwrap();
    assert_eq!(text(&store, &account), Some(long));
    // In the Credential Manager itself: a header naming the parts, `<generation>:<count>`.
    let header = text(&raw, &account).unwrap();
    let (generation, count) = header.strip_prefix("connector-console-chunks:").unwrap().split_once(':').unwrap();
    let count: usize = count.split(':').next().unwrap().parse().unwrap();
    assert!(count >= 5, "5,000 characters in parts of {}: {count}", platform_value_limit());
    let parts: Vec<String> = (0..count).map(|i| format!("{account}#{generation}-{i}")).collect();
    assert!(parts.iter().all(|p| text(&raw, p).is_some()));
    store.delete(&account).unwrap();
    assert_eq!(text(&store, &account), None);
    for p in &parts {
        assert_eq!(text(&raw, p), None, "{p} left behind");
    }
}

/// Not a check of its own: `scripts/wine-check.sh` stores an installation's tokens with
/// it (as a sign-in would, split into parts), then has the command line read them.
#[test]
#[ignore = "run by scripts/wine-check.sh, which names the account and the value"]
fn seed_for_the_command_line() {
    let account = std::env::var("WINE_CHECK_ACCOUNT").unwrap();
    let value = std::env::var("WINE_CHECK_VALUE").unwrap();
    Chunked::new(Keychain::open_platform().unwrap(), platform_value_limit()).set(&account, &Secret::new(value)).unwrap();
}
