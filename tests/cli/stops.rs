//! How a command-line run ends when it can't go on: an installation another process
//! holds is waited on for seconds, not minutes, and the holder is named; a SIGTERM (a
//! cancelled `git fetch`, a logout) ends the command through its usual end, which saves
//! tokens the keychain refused, instead of killing the process.

use std::time::{Duration, Instant};

use connector_core::store::filelock;

use super::support::{shared_install, sign_in};
use super::{command, due, setup, text};

/// Broken: the command line waited 145 s (the window's bound) for the installation's
/// lock, so a `git fetch` hung for minutes, and then said only "another process".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_installation_is_given_up_on_within_half_a_minute_naming_the_holder() {
    let s = setup().await;
    let id = sign_in(&s.window, &shared_install()).await;
    due(&s);
    // This test process holds it, as a window stuck on a keychain prompt would.
    let _held = filelock::lock(&s.dir.path().join("locks").join(format!("installation-{id}.lock"))).unwrap();
    let started = Instant::now();
    let out = command(&s, &["token", "--installation", id.as_str()]).output().unwrap();
    let waited = started.elapsed();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(waited >= Duration::from_secs(20) && waited < Duration::from_secs(40), "waited {waited:?}");
    assert!(err.contains(&format!("Connector Console process {} (", std::process::id())), "names the holder: {err}");
    assert!(out.stdout.is_empty());
}

/// Broken: SIGTERM killed the process where it stood, so tokens the keychain had refused
/// (rotation spent the old ones) died with it. It now ends the command and exits through
/// the end that saves them: promptly, with exit 1 and why.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_a_command_through_its_usual_end() {
    let s = setup().await;
    let id = sign_in(&s.window, &shared_install()).await;
    due(&s);
    // A token endpoint that takes its time: the refresh is in flight when the signal comes.
    s.fake.with(|w| w.token_latency = Duration::from_secs(20));
    let child = command(&s, &["token", "--installation", id.as_str()]).spawn().unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let started = Instant::now();
    assert!(std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "ended by its own hand, not by the signal: {err}");
    assert!(err.contains("Cancelled"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert!(out.stdout.is_empty());
}
