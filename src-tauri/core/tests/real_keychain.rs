//! The real Secret Service: a private D-Bus session and gnome-keyring started
//! for this test alone (the binaries come from scripts/setup.sh). It checks
//! the keychain module against the real thing, and what happens when the
//! keychain daemon dies while the app is running.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::services::tokens::Status;
use connector_core::store::keychain::{Chunked, Keychain, SecretStore};
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{share_demo_app, shared_install, sign_in};

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private session bus without service activation, so a keyring that dies
/// stays dead (the standard session bus would start a fresh, empty one).
fn dbus(dir: &std::path::Path) -> (Killed, String) {
    let config = dir.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>"#,
            dir.display()
        ),
    )
    .unwrap();
    let mut child = Command::new("dbus-daemon")
        .args(["--nofork", "--print-address=1", &format!("--config-file={}", config.display())])
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-daemon (run scripts/setup.sh)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (Killed(child), line.trim().to_string())
}

/// gnome-keyring on that bus, its `login` keyring unlocked with a password.
fn keyring(bus: &str, data_home: &std::path::Path) -> Killed {
    let mut child = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("XDG_DATA_HOME", data_home)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon (run scripts/setup.sh)");
    child.stdin.take().unwrap().write_all(b"real-keychain-test").unwrap();
    Killed(child)
}

fn wait_for_keychain() -> Keychain {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match Keychain::open_platform().and_then(|k| k.self_test().map(|_| k)) {
            Ok(k) => return k,
            Err(e) if Instant::now() > deadline => panic!("the private keyring never came up: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_keychain_and_a_keychain_that_dies_while_running() {
    let data_home = tempfile::tempdir().unwrap();
    let (_bus, address) = dbus(data_home.path());
    // This test binary holds only this test, so setting the process environment is safe.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    let daemon = keyring(&address, data_home.path());
    let kc = tokio::task::spawn_blocking(wait_for_keychain).await.unwrap();

    // The keychain module against the real Secret Service.
    tokio::task::spawn_blocking(move || {
        assert_eq!(kc.get("test/missing").unwrap(), None, "not found is None");
        kc.set("test/value", &Secret::new("s3cret")).unwrap();
        assert_eq!(kc.get("test/value").unwrap().unwrap().expose(), "s3cret");
        kc.set("test/value", &Secret::new("rotated")).unwrap();
        assert_eq!(kc.get("test/value").unwrap().unwrap().expose(), "rotated", "set replaces");
        kc.delete("test/value").unwrap();
        kc.delete("test/value").unwrap();
        assert_eq!(kc.get("test/value").unwrap(), None, "delete is idempotent");
        // Values split over several entries (as on Windows) round-trip through the real store.
        let chunked = Chunked::new(kc, 16);
        let long = "t".repeat(100);
        chunked.set("test/long", &Secret::new(long.clone())).unwrap();
        assert_eq!(chunked.get("test/long").unwrap().unwrap().expose(), long);
        chunked.delete("test/long").unwrap();
        assert_eq!(chunked.get("test/long").unwrap(), None);
    })
    .await
    .unwrap();

    // A real install whose tokens live in this keyring.
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let services = Arc::new(Services::open(dir.path(), Endpoints::under(fake.base_url()).unwrap()));
    assert!(services.state.keychain_check().await.is_ok());
    share_demo_app(&services, &fake).await;
    let id = sign_in(&services, &shared_install()).await;

    // The daemon dies while the app runs.
    drop(daemon);
    let settings_before = std::fs::read(dir.path().join("settings.json")).unwrap();
    let err = services.tokens.refresh(&id).await.unwrap_err();
    assert_eq!(err.code(), "keychain_unavailable", "{err:?}");
    assert!(matches!(services.tokens.status(&id), Status::Error { .. }), "transient, not needs re-auth");
    assert_eq!(services.installations.uninstall(&id).await.unwrap_err().code(), "keychain_unavailable");
    assert_eq!(std::fs::read(dir.path().join("settings.json")).unwrap(), settings_before, "nothing on disk changed");
    assert!(services.installations.all()[0].needs_reauth.is_none());

    // Keychain back: the running app reconnects, and nothing was lost.
    let _daemon = keyring(&address, data_home.path());
    tokio::task::spawn_blocking(wait_for_keychain).await.unwrap();
    assert!(services.state.keychain_check().await.is_ok(), "reconnected without a restart");
    services.tokens.refresh(&id).await.unwrap();
    assert_eq!(services.tokens.status(&id), Status::Connected);
    // A restarted app finds the same tokens.
    let restarted = Services::open(dir.path(), Endpoints::under(fake.base_url()).unwrap());
    let token = restarted.tokens.access_token(&id).await.unwrap();
    assert!(token.expose().starts_with("vsoa."));
    restarted.installations.uninstall(&id).await.unwrap();
}
