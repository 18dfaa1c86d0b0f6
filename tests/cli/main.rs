//! The command line against the fake Microsoft and the real keychain (run
//! inside scripts/with-test-env.sh): many processes and the window's refresher
//! at once, exit codes, and the Git credential helper driven by the real `git`.

#[path = "../../src-tauri/core/tests/support/mod.rs"]
mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallationId;
use connector_core::services::tokens::Status;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, Fault, World};
use support::{share_demo_app, shared_install, sign_in};

mod cae;
mod companion;
mod stops;

/// The window's program, given a subcommand.
const EXE: &str = env!("CARGO_BIN_EXE_connector-console");
/// The command line alone, which the README configures as Git's helper.
const COMPANION: &str = env!("CARGO_BIN_EXE_connector-console-cli");

struct Setup {
    fake: FakeMicrosoft,
    window: Arc<Services>,
    dir: tempfile::TempDir,
}

/// The window's services on a fresh data directory, with the real keychain.
async fn setup() -> Setup {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let window = Arc::new(Services::open(dir.path(), Endpoints::under(fake.base_url()).unwrap()));
    share_demo_app(&window, &fake).await;
    Setup { fake, window, dir }
}

fn command(s: &Setup, args: &[&str]) -> Command {
    command_of(EXE, s, args)
}

fn command_of(program: &str, s: &Setup, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args)
        .env("CONNECTOR_CONSOLE_DATA_DIR", s.dir.path())
        .env("CONNECTOR_CONSOLE_MICROSOFT_URL", s.fake.base_url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(s: &Setup, args: &[&str]) -> Output {
    command(s, args).output().unwrap()
}

/// Everything due at once: the next `token` refreshes.
fn due(s: &Setup) {
    s.window
        .state
        .settings
        .update(|x| {
            x.installations.iter_mut().for_each(|i| i.access_expires_at = 0);
            Ok(())
        })
        .unwrap();
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn keychain_access_token(s: &Setup, id: &InstallationId) -> String {
    let account = format!("installation/{id}/tokens");
    let raw = s.window.state.secrets(move |k| k.get(&account)).await.unwrap().unwrap();
    let v: serde_json::Value = serde_json::from_str(raw.expose()).unwrap();
    v["a"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_processes_and_the_window_refresh_one_installation_with_one_token_request() {
    let s = setup().await;
    s.fake.with(|w| w.lifetimes.access_token = Duration::from_secs(1));
    let id = sign_in(&s.window, &shared_install()).await;
    s.fake.with(|w| w.lifetimes.access_token = Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // A slow token endpoint keeps the one refresh in flight while everyone else asks.
    s.fake.with(|w| w.token_faults.push_back(Fault::Delay(Duration::from_millis(500))));
    let before = s.fake.token_requests();
    let children: Vec<_> = (0..20).map(|_| command(&s, &["token", "--installation", id.as_str()]).spawn().unwrap()).collect();
    let refreshed = s.window.tokens.refresh_due().await;
    let outputs: Vec<Output> =
        tokio::task::spawn_blocking(move || children.into_iter().map(|c| c.wait_with_output().unwrap()).collect()).await.unwrap();
    assert_eq!(s.fake.token_requests() - before, 1, "exactly one token request (window tried {refreshed})");
    let stored = keychain_access_token(&s, &id).await;
    for o in &outputs {
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(text(&o.stdout).trim(), stored, "every process prints the stored token");
    }
    s.window.tokens.catch_up().unwrap();
    assert_eq!(s.window.tokens.status(&id), Status::Connected);
    assert!(s.window.installations.get(&id).unwrap().needs_reauth.is_none());
    // The token works: the fake accepts it.
    assert_eq!(s.window.methods.test_connection(&id).await.unwrap(), "Connected as Dana Developer to contoso / Website.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_exit_codes_say_what_to_do() {
    let s = setup().await;
    let none = run(&s, &["token"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("Nothing is installed yet"), "{}", text(&none.stderr));
    assert!(none.stdout.is_empty());

    let website = sign_in(&s.window, &shared_install()).await;
    let mut fabrikam_input = shared_install();
    fabrikam_input.project = "Fabrikam Fiber".into();
    let fabrikam = sign_in(&s.window, &fabrikam_input).await;
    let two = run(&s, &["token", "--org", "contoso"]);
    assert_eq!(two.status.code(), Some(2));
    let err = text(&two.stderr);
    assert!(err.contains("2 installations match") && err.contains(website.as_str()) && err.contains(fabrikam.as_str()), "{err}");
    let one = run(&s, &["token", "--org", "CONTOSO", "--project", "website", "--json"]);
    assert!(one.status.success(), "{}", text(&one.stderr));
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(json["access_token"], keychain_access_token(&s, &website).await);
    assert_eq!(json["token_type"], "Bearer");

    // Microsoft revoked the refresh token and the access token expired: only a new sign-in helps.
    s.fake.with(|w| {
        w.revoke_all_refresh_tokens();
        w.expire_all_access_tokens();
    });
    due(&s);
    let reauth = run(&s, &["token", "--installation", website.as_str()]);
    assert_eq!(reauth.status.code(), Some(3), "{}", text(&reauth.stderr));
    assert!(text(&reauth.stderr).contains("Open Connector Console to sign in again"), "{}", text(&reauth.stderr));

    // No usable keychain (here: no D-Bus session bus): exit 4 with what to fix, never a fallback.
    let no_keychain = command(&s, &["token", "--installation", fabrikam.as_str()])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    assert_eq!(no_keychain.status.code(), Some(4), "{}", text(&no_keychain.stderr));
    assert!(text(&no_keychain.stderr).contains("keychain"), "{}", text(&no_keychain.stderr));
    assert!(no_keychain.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_installations_as_a_table_and_as_json() {
    let s = setup().await;
    let id = sign_in(&s.window, &shared_install()).await;
    let table = run(&s, &["list"]);
    assert!(table.status.success());
    let out = text(&table.stdout);
    assert!(out.contains("contoso/Website") && out.contains(id.as_str()) && out.contains("connected") && out.contains("in "), "{out}");
    let json: serde_json::Value = serde_json::from_slice(&run(&s, &["list", "--json"]).stdout).unwrap();
    assert_eq!((json[0]["id"].as_str(), json[0]["auth_type"].as_str()), (Some(id.as_str()), Some("legacy")));
    assert!(text(&table.stderr).contains("Microsoft endpoints are overridden"), "the override is never silent");
    assert!(!text(&run(&s, &["token", "--help"]).stdout).is_empty());
    assert!(text(&run(&s, &["token", "--help"]).stdout).contains("THE OUTPUT IS A SECRET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_says_legacy_is_being_retired_and_warns_of_an_expired_secret() {
    let s = setup().await;
    let id = sign_in(&s.window, &shared_install()).await;
    support::share_demo_app_expiring(&s.window, &s.fake, "2000-01-02").await;
    let out = text(&run(&s, &["list"]).stdout);
    assert!(out.contains(&format!("{id} contoso/Website: legacy Azure DevOps OAuth")) && out.contains("Microsoft Entra ID"), "{out}");
    assert!(out.contains("expired on 2000-01-02") && out.contains("Connector Library entry"), "{out}");
    let json: serde_json::Value = serde_json::from_slice(&run(&s, &["list", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["notes"].as_array().map(Vec::len), Some(2), "{json}");
}

/// `git credential fill` with only this helper configured, for `url`.
fn git_fill(s: &Setup, home: &Path, url: &str) -> Output {
    git_fill_with(s, home, url, true)
}

/// The same, with Git's default `useHttpPath=false` when `use_http_path` is false, and
/// the helper configured for every host (so it is asked about hosts it must refuse).
fn git_fill_with(s: &Setup, home: &Path, url: &str, use_http_path: bool) -> Output {
    let helper = format!("!{COMPANION} git-credential");
    let scope = if use_http_path { "credential.https://dev.azure.com" } else { "credential" };
    let mut child = Command::new("git")
        .args(["-c", "credential.helper=", "-c", &format!("{scope}.helper={helper}")])
        .args(["-c", &format!("credential.https://dev.azure.com.useHttpPath={use_http_path}"), "credential", "fill"])
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("CONNECTOR_CONSOLE_DATA_DIR", s.dir.path())
        .env("CONNECTOR_CONSOLE_MICROSOFT_URL", s.fake.base_url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("url={url}\n\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn git_credential_fill_gets_the_token_for_dev_azure_com_and_nothing_elsewhere() {
    let s = setup().await;
    let id = sign_in(&s.window, &shared_install()).await;
    let home = tempfile::tempdir().unwrap();
    let filled = git_fill(&s, home.path(), "https://dev.azure.com/contoso/Website/_git/Website");
    assert!(filled.status.success(), "{}", text(&filled.stderr));
    let out = text(&filled.stdout);
    let token = keychain_access_token(&s, &id).await;
    assert!(out.lines().any(|l| l == format!("password={token}")), "git got the installation's token");
    assert!(out.contains("host=dev.azure.com") && out.contains("username="), "{out}");
    // Another host: the helper is not even asked (URL-scoped config), and Git finds nothing.
    let other = git_fill(&s, home.path(), "https://example.com/contoso/Website.git");
    assert!(!other.status.success() && !text(&other.stdout).contains("password="), "{}", text(&other.stdout));
    // Asked directly about another host, the helper answers nothing at all.
    let mut direct = command(&s, &["git-credential", "get"]).stdin(Stdio::piped()).spawn().unwrap();
    direct.stdin.take().unwrap().write_all(b"protocol=https\nhost=github.com\npath=contoso/x.git\n\n").unwrap();
    let direct = direct.wait_with_output().unwrap();
    assert!(direct.status.success() && direct.stdout.is_empty());
    // store and erase keep nothing: the keychain entry is untouched.
    let mut erase = command(&s, &["git-credential", "erase"]).stdin(Stdio::piped()).spawn().unwrap();
    erase.stdin.take().unwrap().write_all(format!("protocol=https\nhost=dev.azure.com\npassword={token}\n\n").as_bytes()).unwrap();
    assert!(erase.wait_with_output().unwrap().status.success());
    assert_eq!(keychain_access_token(&s, &id).await, token);
}

/// Git's default sends no path: the user name in the URL must never choose the
/// organization (`https://contoso@dev.azure.com/evilorg/…` would get contoso's token).
/// A host that merely starts with dev.azure.com gets nothing either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_git_helper_needs_the_path_and_the_exact_host() {
    let s = setup().await;
    sign_in(&s.window, &shared_install()).await;
    let home = tempfile::tempdir().unwrap();
    let no_path = git_fill_with(&s, home.path(), "https://contoso@dev.azure.com/evilorg/x/_git/x", false);
    assert!(!text(&no_path.stdout).contains("password="), "{}", text(&no_path.stdout));
    assert!(text(&no_path.stderr).contains("useHttpPath true"), "says how to fix it: {}", text(&no_path.stderr));
    let lookalike = git_fill_with(&s, home.path(), "https://dev.azure.com.evil.example/contoso/Website/_git/Website", true);
    assert!(!text(&lookalike.stdout).contains("password="), "{}", text(&lookalike.stdout));
    let dots = git_fill_with(&s, home.path(), "https://dev.azure.com/contoso/../evilorg/_git/x", true);
    assert!(!text(&dots.stdout).contains("password="), "{}", text(&dots.stdout));
}

/// A locked keyring: gnome-keyring waits for an unlock prompt nobody can answer
/// from a script. In a D-Bus session and keyring of its own (locking the shared
/// one would disturb the other tests), `token` gives up with exit 4 and says so.
#[test]
fn a_locked_keyring_gets_exit_4_instead_of_a_hang() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("settings.json"), include_str!("../../src-tauri/core/tests/fixtures/settings-v1.json")).unwrap();
    let script = format!(
        "secret-tool store --label=probe service cli-test account a <<< v && \
         gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
           --method org.freedesktop.Secret.Service.Lock \"['/org/freedesktop/secrets/collection/login']\" >/dev/null && \
         exec {EXE} token --installation k3x9q2m7p4ta > '{}'",
        data.path().join("stdout").display()
    );
    let started = std::time::Instant::now();
    let out = Command::new("bash")
        .args(["scripts/with-test-env.sh", "bash", "-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CONNECTOR_CONSOLE_IN_TEST_ENV")
        .env("CONNECTOR_CONSOLE_DATA_DIR", data.path())
        // No endpoint override: the fixture's installations were made against Microsoft
        // itself, and a locked keychain stops the command before anything is sent.
        .env_remove("CONNECTOR_CONSOLE_MICROSOFT_URL")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("The OS keychain is locked") && err.contains("Unlock your keychain"), "{err}");
    // The wrapper prints its own lines; the command's stdout went to a file.
    assert_eq!(std::fs::read_to_string(data.path().join("stdout")).unwrap(), "", "no token printed");
    assert!(started.elapsed() < Duration::from_secs(40), "gave up, did not hang: {:?}", started.elapsed());
}
