//! Every error has a stable code, a message and a hint.

use super::*;

#[test]
fn an_error_carries_code_message_and_hint() {
    let e = Error::KeychainUnavailable { problem: KeychainProblem::Locked, detail: "locked".into() };
    assert_eq!(e.code(), "keychain_unavailable");
    assert!(e.to_string().contains("locked"));
    assert_eq!(e.detail(), Some("locked"), "the raw text stays available, behind the words");
    let raw = Error::KeychainUnavailable { problem: KeychainProblem::Other, detail: "SS error: result not returned from SS API".into() };
    assert!(!raw.to_string().contains("SS API"), "words first: {raw}");
    assert!(e.hint().contains("Unlock"));
}

#[test]
fn tokens_not_saved_keeps_the_keychain_code_and_says_the_tokens_are_kept() {
    let e = Error::TokensNotSaved {
        source: Box::new(Error::KeychainUnavailable { problem: KeychainProblem::Locked, detail: "locked".into() }),
    };
    assert_eq!(e.code(), "keychain_unavailable");
    assert!(e.to_string().contains("kept by this process"), "{e}");
    assert!(e.hint().contains("Unlock"));
}

#[test]
fn every_code_is_snake_case_and_fields_are_reachable() {
    let samples = [
        Error::CredentialsMissing,
        Error::SecretMissing,
        Error::Internal { detail: "x".into() },
        Error::BrowserFailed { detail: "x".into() },
        Error::SignInWindowFailed { detail: "x".into() },
        Error::OpenFailed { url: "https://example.com".into(), detail: "x".into() },
        Error::SettingsInvalid { what: "installation".into(), detail: "x".into() },
        Error::field("client_id", "bad"),
    ];
    for e in &samples {
        assert!(e.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", e.code());
        assert!(!e.hint().is_empty(), "{} has a hint", e.code());
    }
    assert_eq!(samples[7].fields()[0].field, "client_id");
    assert!(samples[0].fields().is_empty());
}

#[test]
fn a_browser_that_did_not_open_says_so_and_keeps_the_command_for_details() {
    let e = Error::BrowserFailed { detail: "xdg-open <sign-in link> failed with exit code 3".into() };
    assert_eq!(e.to_string(), "Your browser didn\u{2019}t open");
    assert_eq!(e.detail(), Some("xdg-open <sign-in link> failed with exit code 3"), "the command goes behind Details");
    assert!(e.hint().contains("copy the sign-in link"), "{}", e.hint());
}
