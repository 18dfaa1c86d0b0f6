//! One instance per data folder: a second launch hands over to the first
//! (which comes to the front) and exits 0; the first keeps running.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::ensure;
use crate::harness::{wait_until, wait_until_blocking, App, Context, Options, WAIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_focuses_the_first_window_and_exits() {
    let app = App::launch("single_instance", Options::default()).await;
    let result = async {
        app.wait_for("[data-connector]").await?;
        let started = Instant::now();
        let second = Command::new(env!("CARGO_BIN_EXE_connector-console"))
            .env("CONNECTOR_CONSOLE_DATA_DIR", &app.data_dir)
            .output()
            .map_err(|e| format!("second launch: {e}"))?;
        ensure!(second.status.success(), "the second launch exited with {:?}: {}", second.status, String::from_utf8_lossy(&second.stderr));
        ensure!(started.elapsed() < Duration::from_secs(20), "the second launch returned at once, not after a window's life");
        // The first handled the hand-over (its log says so) and still answers.
        let log = app.data_dir.join("logs").join("connector-console.log");
        wait_until("the first instance's log to tell of the second launch", WAIT, || {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("a second launch was handed over") {
                Ok(())
            } else {
                Err(format!("{} lines of log", text.lines().count()))
            }
        })
        .await?;
        app.wait_js("the first window to have the focus", "return document.hasFocus();", &[])
            .await
            .context("the first window has the focus")?;
        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_line_run_is_not_a_second_instance() {
    let app = App::launch("single_instance_cli", Options::default()).await;
    let result = async {
        app.wait_for("[data-connector]").await?;
        let list = Command::new(env!("CARGO_BIN_EXE_connector-console"))
            .args(["list", "--json"])
            .env("CONNECTOR_CONSOLE_DATA_DIR", &app.data_dir)
            .output()
            .map_err(|e| e.to_string())?;
        ensure!(list.status.success() && String::from_utf8_lossy(&list.stdout).trim() == "[]", "list ran beside the window");
        let log = std::fs::read_to_string(app.data_dir.join("logs").join("connector-console.log")).unwrap_or_default();
        ensure!(!log.contains("a second launch was handed over"), "the window was not asked to take over");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// With a runtime folder (a desktop session's `XDG_RUNTIME_DIR`) the lock and the socket
/// live there; a second launch hands over, and one against a window that has stopped
/// answering gives up after its wait and says so (exit 1) instead of opening a second window.
#[test]
fn with_a_runtime_folder_a_launch_hands_over_and_one_against_a_hung_window_says_so() {
    let runtime = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let launch = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_connector-console"));
        c.env("XDG_RUNTIME_DIR", runtime.path()).env("CONNECTOR_CONSOLE_DATA_DIR", data.path());
        c
    };
    let mut first = launch().stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let listening = || std::fs::read_dir(runtime.path()).unwrap().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".sock"));
    let log = data.path().join("logs").join("connector-console.log");
    wait_until_blocking("the first window to claim the runtime folder", WAIT, || {
        match (listening(), std::fs::read_to_string(&log).is_ok_and(|t| t.contains("starting"))) {
            (true, true) => Ok(()),
            (socket, started) => Err(format!("socket {socket}, log says starting {started}")),
        }
    })
    .unwrap();
    let second = launch().output().unwrap();
    assert!(second.status.success(), "handed over: {second:?}");

    let stop = |signal: &str| assert!(Command::new("kill").args([signal, &first.id().to_string()]).status().unwrap().success());
    stop("-STOP");
    let started = Instant::now();
    let third = launch().output().unwrap();
    stop("-CONT");
    let stderr = String::from_utf8_lossy(&third.stderr);
    let result = (third.status.code(), stderr.contains("already running for this data folder but did not answer"), started.elapsed());
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!((result.0, result.1), (Some(1), true), "against a hung window: {stderr}");
    assert!(result.2 >= Duration::from_secs(10), "it waited for the window first ({:?})", result.2);
}
