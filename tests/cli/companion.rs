//! `connector-console-cli`, the command line alone: the same answers as
//! `connector-console <subcommand>`, without loading a GUI library.

use std::process::Command;

use super::support::{shared_install, sign_in};
use super::{command_of, setup, text, COMPANION, EXE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_companion_answers_as_the_window_program_does() {
    let s = setup().await;
    let id = sign_in(&s.window, &shared_install()).await;
    let list = |program| command_of(program, &s, &["list", "--json"]).output().unwrap();
    let (window, companion) = (list(EXE), list(COMPANION));
    assert!(companion.status.success(), "{}", text(&companion.stderr));
    assert_eq!(text(&companion.stdout), text(&window.stdout));
    let token = command_of(COMPANION, &s, &["token", "--installation", id.as_str()]).output().unwrap();
    assert!(token.status.success(), "{}", text(&token.stderr));
    let from_window = command_of(EXE, &s, &["token", "--installation", id.as_str()]).output().unwrap();
    assert_eq!(token.stdout, from_window.stdout, "one fresh token, the same from both programs");
    // Its own name in messages and help; a wrong selection is exit 2 from both.
    let wrong = command_of(COMPANION, &s, &["token", "--org", "nobody"]).output().unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).starts_with("connector-console-cli: "), "{}", text(&wrong.stderr));
    assert_eq!(command_of(EXE, &s, &["token", "--org", "nobody"]).output().unwrap().status.code(), Some(2));
    let help = command_of(COMPANION, &s, &["--help"]).output().unwrap();
    assert!(text(&help.stdout).contains("Usage: connector-console-cli"), "{}", text(&help.stdout));
    // Without a subcommand it explains itself instead of opening a window.
    let bare = command_of(COMPANION, &s, &[]).output().unwrap();
    assert_eq!(bare.status.code(), Some(2));
    assert!(text(&bare.stderr).contains("Usage: connector-console-cli"), "{}", text(&bare.stderr));
}

/// What the dynamic loader maps before `main`, by name (ldd resolves the whole tree).
fn loaded_libraries(program: &str) -> String {
    let out = Command::new("ldd").arg(program).output().expect("ldd runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn the_companion_loads_no_gui_library() {
    let gui = ["libgtk-3", "libwebkit2gtk", "libjavascriptcoregtk", "libgdk-3", "libsoup-3"];
    let window = loaded_libraries(EXE);
    assert!(gui.iter().all(|l| window.contains(l)), "the check knows the names the window loads:\n{window}");
    let companion = loaded_libraries(COMPANION);
    for l in gui {
        assert!(!companion.contains(l), "{COMPANION} loads {l}:\n{companion}");
    }
    let count = |s: &str| s.lines().filter(|l| l.contains(".so")).count();
    println!("libraries loaded: window {}, companion {}", count(&window), count(&companion));
}
