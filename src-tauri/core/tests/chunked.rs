//! Values split over several keychain entries (for Windows' size cap).

mod support;

use std::sync::atomic::Ordering;

use connector_core::error::Error;
use connector_core::store::keychain::{Chunked, SecretStore};
use connector_core::Secret;
use support::{MemoryStore, NoDeletes};

#[test]
fn long_values_are_split_and_read_back_whole() {
    let store = Chunked::new(MemoryStore::default(), 10);
    let long = "é".repeat(7) + &"x".repeat(30);
    store.set("t", &Secret::new(long.clone())).unwrap();
    assert_eq!(store.get("t").unwrap().unwrap().expose(), long);
    {
        let entries = store.inner().0.lock().unwrap();
        assert_eq!(entries.len(), 1 + 4, "a header and 4 parts");
        assert!(entries.iter().filter(|(k, _)| k.contains('#')).all(|(_, v)| v.chars().count() <= 10), "no part over the limit");
    }
    store.set("t", &Secret::new("short")).unwrap();
    assert_eq!(store.get("t").unwrap().unwrap().expose(), "short");
    assert_eq!(store.inner().accounts().len(), 2, "the header and one part: old parts removed");
    store.set("t", &Secret::new("y".repeat(25))).unwrap();
    store.delete("t").unwrap();
    store.delete("t").unwrap();
    assert!(store.inner().accounts().is_empty());
    assert_eq!(store.get("t").unwrap(), None);
}

#[test]
fn short_values_that_were_never_split_stay_plain() {
    let store = Chunked::new(MemoryStore::default(), 10);
    store.set("t", &Secret::new("short")).unwrap();
    store.set("t", &Secret::new("other")).unwrap();
    assert_eq!(store.inner().accounts(), ["t"]);
    assert_eq!(store.inner().0.lock().unwrap()["t"], "other");
    // The limit is the longest value kept whole (characters, not bytes), not the first one split.
    store.set("u", &Secret::new("é".repeat(10))).unwrap();
    assert_eq!(store.inner().0.lock().unwrap()["u"], "é".repeat(10));
}

#[test]
fn a_missing_part_reads_as_corrupt_not_as_no_value() {
    let store = Chunked::new(MemoryStore::default(), 10);
    store.set("t", &Secret::new("z".repeat(25))).unwrap();
    let part = store.inner().accounts().into_iter().find(|k| k.contains('#')).unwrap();
    store.inner().delete(&part).unwrap();
    assert!(matches!(store.get("t"), Err(Error::KeychainCorrupt { account }) if account == "t"));
}

#[test]
fn a_failed_cleanup_after_a_write_is_a_warning_and_the_next_write_sweeps_it() {
    let store = Chunked::new(NoDeletes::default(), 10);
    store.set("t", &Secret::new("a".repeat(25))).unwrap();
    store.inner().refuse.store(true, Ordering::SeqCst);
    store.set("t", &Secret::new("b".repeat(25))).expect("the new value is written even though old parts stay");
    assert_eq!(store.get("t").unwrap().unwrap().expose(), "b".repeat(25));
    assert_eq!(store.inner().inner.accounts().len(), 1 + 3 + 3, "old parts left over for now");
    store.inner().refuse.store(false, Ordering::SeqCst);
    store.set("t", &Secret::new("c".repeat(5))).unwrap();
    assert_eq!(store.get("t").unwrap().unwrap().expose(), "ccccc");
    assert_eq!(store.inner().inner.accounts().len(), 2, "both older generations swept: {:?}", store.inner().inner.accounts());
}

#[test]
fn a_failed_delete_keeps_the_header_so_trying_again_removes_everything() {
    let store = Chunked::new(NoDeletes::default(), 10);
    store.set("t", &Secret::new("a".repeat(25))).unwrap();
    store.inner().refuse.store(true, Ordering::SeqCst);
    assert!(store.delete("t").is_err(), "a delete that could not finish says so");
    assert!(store.inner().inner.accounts().contains(&"t".to_string()), "the header still names the parts");
    store.inner().refuse.store(false, Ordering::SeqCst);
    store.delete("t").unwrap();
    assert!(store.inner().inner.accounts().is_empty(), "nothing orphaned");
}
