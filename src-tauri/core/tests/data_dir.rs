//! Where the data lives: `CONNECTOR_CONSOLE_DATA_DIR`, spelled one way, else the OS data
//! folder and the bundle identifier. A test binary of its own: it sets the variable, which
//! no other test in the same process may see change.

use connector_core::store::paths::{canonical, data_dir, DATA_DIR_VAR, IDENTIFIER};

#[test]
fn the_variable_names_the_folder_and_an_empty_one_is_unset() {
    let tmp = tempfile::tempdir().unwrap();
    std::env::set_var(DATA_DIR_VAR, tmp.path().join("./data"));
    assert_eq!(data_dir(), Some(canonical(tmp.path().join("data"))));
    std::env::set_var(DATA_DIR_VAR, "");
    let default = data_dir().expect("this machine has a data folder");
    assert!(default.ends_with(IDENTIFIER), "{}", default.display());
    std::env::remove_var(DATA_DIR_VAR);
    assert_eq!(data_dir(), Some(default));
}
