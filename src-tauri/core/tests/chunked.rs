//! Values split over several keychain entries (for Windows' size cap).

mod support;

use connector_core::keychain::{Chunked, SecretStore};
use connector_core::Secret;
use support::MemoryStore;

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
    assert_eq!(store.inner().accounts(), ["t"], "old parts removed");
    store.set("t", &Secret::new("y".repeat(25))).unwrap();
    store.delete("t").unwrap();
    store.delete("t").unwrap();
    assert!(store.inner().accounts().is_empty());
    assert_eq!(store.get("t").unwrap(), None);
}

#[test]
fn a_missing_part_means_no_value() {
    let store = Chunked::new(MemoryStore::default(), 10);
    store.set("t", &Secret::new("z".repeat(25))).unwrap();
    let part = store.inner().accounts().into_iter().find(|k| k.contains('#')).unwrap();
    store.inner().delete(&part).unwrap();
    assert_eq!(store.get("t").unwrap(), None);
}
