//! Uninstall's edges: an id that is not an installation id never becomes part of a path.

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::Services;
use support::opener;

/// Broken: the id went into the lock file's path unchecked, so `x/../../../escape`
/// created a file outside the data folder (and anything the process may write).
#[tokio::test]
async fn an_id_that_is_not_an_installation_id_is_refused_before_it_becomes_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(dir.path().join("data"), Endpoints::microsoft(), opener(Arc::default()));
    for bad in ["x/../../../escape", "..", "a\\b", ""] {
        let err = s.installations.uninstall(bad).await.unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{bad:?}: {err}");
        assert!(!err.to_string().contains(bad) || bad.is_empty(), "the text is not echoed: {err}");
    }
    assert!(!dir.path().join("escape.lock").exists(), "a file outside the data folder");
    assert!(!dir.path().join("data/locks").exists(), "no lock file for a non-id");
}
