//! `./scripts/run.sh --demo`'s set-up, run for real (scripts/demo.sh with this package's
//! fake binary): the terminal shows what a newcomer types, the command it runs (the app, in
//! the demo) gets the fake's address and a throw-away data folder, and both go at the end.
//! Only building and opening the window are left out (the E2E tests drive that window).

use std::path::{Path, PathBuf};
use std::process::Command;

use fake_microsoft::World;

fn demo_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/demo.sh")
}

/// The value of `name=` on the line the stand-in app printed.
fn seen(stdout: &str, name: &str) -> String {
    stdout.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).unwrap_or_default().to_string()
}

#[test]
fn the_demo_prints_what_a_newcomer_types_and_points_the_app_at_the_fake() {
    // A stand-in for the app: says what it was given, and checks that the fake answers there.
    let app = "echo URL=$CONNECTOR_CONSOLE_MICROSOFT_URL; echo DATA=$CONNECTOR_CONSOLE_DATA_DIR; \
               curl -s -o /dev/null -w 'STATUS=%{http_code}\\n' -I \"$CONNECTOR_CONSOLE_MICROSOFT_URL/contoso\"";
    let out = Command::new("bash")
        .arg(demo_script())
        .args([env!("CARGO_BIN_EXE_fake-microsoft"), "--", "sh", "-c", app])
        .output()
        .expect("bash runs scripts/demo.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "demo.sh failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));

    let demo = World::demo();
    let legacy = &demo.legacy_apps[0];
    let dana = &demo.users[0];
    let mut needed = vec![legacy.app_id.clone(), legacy.client_secret.clone(), legacy.scopes.join(" "), dana.display_name.clone()];
    needed.extend(demo.organizations.iter().map(|o| o.name.clone()));
    needed.extend(demo.organizations.iter().flat_map(|o| o.projects.iter().map(|p| p.name.clone())));
    for value in needed {
        assert!(stdout.contains(&value), "the terminal doesn't show {value:?}:\n{stdout}");
    }
    // What the app is given is what the terminal says.
    let url = seen(&stdout, "URL");
    assert!(url.starts_with("http://127.0.0.1:"), "the app got no fake address: {url:?}\n{stdout}");
    assert!(stdout.contains(&format!("Offline demo: the fake Microsoft service on {url}")), "{stdout}");
    // HEAD /{org} is tenant discovery: the fake's 401 with the tenant header.
    assert_eq!(seen(&stdout, "STATUS"), "401", "the fake did not answer at {url}:\n{stdout}");
    // The lines for running the fake alone are not the demo's.
    assert!(!stdout.contains("Start the app against it"), "{stdout}");
    // The throw-away data folder goes with the demo.
    let data = seen(&stdout, "DATA");
    assert!(data.ends_with("/data"), "the app got no throw-away data folder: {data:?}");
    let demo_dir = Path::new(&data).parent().expect("the demo folder");
    assert!(!demo_dir.exists(), "{} was left behind", demo_dir.display());
}
