//! Where the policy file is looked for. One test in its own binary, because it sets the
//! process's environment, which other tests in a shared binary would read at the same time.

use connector_core::store::policy::{default_path, path_from_env, POLICY_VAR};

#[test]
fn the_system_file_wins_and_the_variable_counts_only_without_one() {
    #[cfg(target_os = "linux")]
    assert_eq!(default_path(), std::path::PathBuf::from("/etc/connector-console/policy.json"));
    let system = default_path();
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("policy.json");
    std::env::set_var(POLICY_VAR, &mine);
    let chosen = path_from_env();
    std::env::set_var(POLICY_VAR, "");
    let empty = path_from_env();
    std::env::remove_var(POLICY_VAR);
    assert_eq!(path_from_env(), system, "no variable: the system location");
    assert_eq!(empty, system, "an empty variable counts as none");
    if system.exists() {
        // A machine with a deployed policy: the user can't point the app elsewhere.
        assert_eq!(chosen, system);
    } else {
        assert_eq!(chosen, mine);
    }
}
