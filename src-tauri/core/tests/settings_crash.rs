//! A writer killed in the middle of saving never leaves a half-written
//! settings file: the old file stays intact and parseable.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use connector_core::model::library_entry::LibraryEntry;
use connector_core::store::settings::{Loaded, Settings, SettingsFile};

const CHILD_ENV: &str = "CONNECTOR_CORE_CRASH_WRITER_DIR";

fn big_settings(tag: &str) -> Settings {
    let mut s = Settings::default();
    for i in 0..2_000 {
        s.library.insert(
            format!("connector-{i}"),
            LibraryEntry {
                auth_type: connector_core::model::registration::AuthKind::Legacy,
                values: BTreeMap::from([("tag".into(), tag.repeat(200))]),
                has_secret: false,
                updated_at: i,
            },
        );
    }
    s
}

/// Not a test on its own: the child process of the test below, started with
/// `CHILD_ENV` set. It saves large settings in a loop until it is killed.
#[test]
#[ignore = "runs only as the child of writer_killed_mid_save_leaves_the_old_file_intact"]
fn crash_writer_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let file = SettingsFile::in_dir(Path::new(&dir));
    let next = big_settings("new");
    loop {
        file.save(&next).unwrap();
    }
}

#[test]
fn writer_killed_mid_save_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::in_dir(dir.path());
    let old = big_settings("old");
    file.save(&old).unwrap();
    // 200 kills in the normal run; `CRASH_ROUNDS=1000` for the documented long run.
    let rounds: usize = std::env::var("CRASH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(200);
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "crash_writer_child", "--nocapture"])
            .env(CHILD_ENV, dir.path())
            .spawn()
            .unwrap();
        // Kill it while a temp file is being written.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let writing = std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains(".tmp-"));
            if writing {
                break;
            }
            if Instant::now() >= deadline {
                // Kill the child before failing, so it doesn't outlive the test.
                let _ = child.kill();
                let _ = child.wait();
                panic!("the child never started writing");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        match file.load() {
            // Either the old or a complete new file: never a mix, never a parse error.
            Loaded::Existing(s) => {
                let tag = &s.library["connector-0"].values["tag"];
                assert!(s == old || tag.starts_with("new"), "round {round}: unexpected content");
                assert_eq!(s.library.len(), 2_000);
            }
            other => panic!("round {round}: settings file damaged: {other:?}"),
        }
    }
}
