//! The command line's figures beside the keychain's own floor, measured in one run:
//! `secret-tool lookup` of one entry, then `token` (fresh, and due against the fake with a
//! 20 ms token latency), `git credential fill` through the helper, and `list` at 10 and
//! 10,000 installations. Each command runs from `connector-console-cli` (the command line
//! alone) and from `connector-console` (the window's program, the way it ran before), in
//! rounds that take one sample of each, so a busy moment of the machine touches them all.
//! It needs the real keychain, so run it inside the test environment: `scripts/bench.sh`.
//! `CLI_BENCH_RUNS` sets the rounds (default 50).

#[path = "../src-tauri/core/benches/sample.rs"]
mod sample;
// The core tests' helpers, shared: the bench signs in with two of them.
#[path = "../src-tauri/core/tests/support/mod.rs"]
mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::store::keychain::SERVICE;
use connector_core::store::settings::SettingsFile;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};

const WINDOW: &str = env!("CARGO_BIN_EXE_connector-console");
const COMPANION: &str = env!("CARGO_BIN_EXE_connector-console-cli");

/// One way to run a command: the program and arguments, the data folder, and stdin.
struct Case {
    name: String,
    program: String,
    args: Vec<String>,
    data: std::path::PathBuf,
    stdin: Option<String>,
    samples: Vec<Duration>,
}

impl Case {
    fn new(name: &str, program: &str, args: &[&str], data: &Path) -> Self {
        Self {
            name: name.into(),
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            data: data.into(),
            stdin: None,
            samples: Vec::new(),
        }
    }

    fn with_stdin(mut self, input: &str) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Runs once, from spawn to exit, and keeps the time; a failed run stops the benchmark.
    fn run_once(&mut self, fake: &FakeMicrosoft) {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .env("CONNECTOR_CONSOLE_DATA_DIR", &self.data)
            .env("CONNECTOR_CONSOLE_MICROSOFT_URL", fake.base_url())
            .env("HOME", &self.data)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = command.spawn().unwrap_or_else(|e| panic!("{}: {e}", self.name));
        if let Some(input) = &self.stdin {
            child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        self.samples.push(started.elapsed());
        assert!(out.status.success() && !out.stdout.is_empty(), "{} failed: {}", self.name, String::from_utf8_lossy(&out.stderr));
    }

    /// The nearest-rank percentile, in milliseconds.
    fn percentile(&self, p: f64) -> f64 {
        let mut s: Vec<f64> = self.samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        s.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * s.len() as f64).ceil().max(1.0) as usize;
        s[rank - 1]
    }
}

/// `rounds` rounds over `cases`, one sample of each per round, after one warm-up round.
fn measure(cases: &mut [Case], rounds: usize, fake: &FakeMicrosoft) {
    for c in cases.iter_mut() {
        c.run_once(fake);
        c.samples.clear();
    }
    for _ in 0..rounds {
        for c in cases.iter_mut() {
            c.run_once(fake);
        }
    }
}

fn print(title: &str, cases: &[Case], floor: f64) {
    println!("\n{title}");
    println!("  {:<58} {:>8} {:>8} {:>10}", "command", "p50 ms", "p99 ms", "p50 ÷ floor");
    for c in cases {
        let p50 = c.percentile(50.0);
        println!("  {:<58} {:>8.1} {:>8.1} {:>9.2}×", c.name, p50, c.percentile(99.0), p50 / floor);
    }
}

fn git_fill(program: &str, data: &Path, name: &str) -> Case {
    let helper = format!("credential.https://dev.azure.com.helper=!{program} git-credential");
    let args = ["-c", "credential.helper=", "-c", &helper, "-c", "credential.https://dev.azure.com.useHttpPath=true", "credential", "fill"];
    Case::new(name, "git", &args, data).with_stdin("url=https://dev.azure.com/contoso/Website/_git/Website\n\n")
}

fn main() {
    let rounds: usize = std::env::var("CLI_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeMicrosoft::start(World::demo())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (fresh_dir, due_dir) = (dir.path().join("fresh"), dir.path().join("due"));
    let sign_in_at = |data: &Path| {
        let services = Arc::new(Services::open(data, Endpoints::under(fake.base_url()).unwrap()));
        runtime.block_on(async {
            support::share_demo_app(&services, &fake).await;
            support::sign_in(&services, &support::shared_install()).await
        })
    };
    let fresh = sign_in_at(&fresh_dir).to_string();
    // Tokens that live one second are always due: every `token` run refreshes (and rotates).
    fake.with(|w| w.lifetimes.access_token = Duration::from_secs(1));
    let due = sign_in_at(&due_dir).to_string();
    fake.with(|w| w.token_latency = Duration::from_millis(20));

    let floor_case = |data: &Path, id: &str| {
        let account = format!("installation/{id}/tokens");
        Case::new("secret-tool lookup of one entry (the floor)", "secret-tool", &["lookup", "service", SERVICE, "username", &account], data)
    };
    println!("{rounds} rounds; each round runs every command of its table once.");

    let mut cases = vec![
        floor_case(&fresh_dir, &fresh),
        Case::new("connector-console-cli token, fresh token", COMPANION, &["token", "--installation", &fresh], &fresh_dir),
        Case::new("connector-console token, fresh token (before)", WINDOW, &["token", "--installation", &fresh], &fresh_dir),
        git_fill(COMPANION, &fresh_dir, "git credential fill, helper connector-console-cli"),
        git_fill(WINDOW, &fresh_dir, "git credential fill, helper connector-console (before)"),
    ];
    measure(&mut cases, rounds, &fake);
    let floor = cases[0].percentile(50.0);
    print("A fresh token", &cases, floor);

    let mut cases = vec![
        floor_case(&due_dir, &due),
        Case::new("connector-console-cli token, due (20 ms token latency)", COMPANION, &["token", "--installation", &due], &due_dir),
        Case::new("connector-console token, due (before)", WINDOW, &["token", "--installation", &due], &due_dir),
    ];
    measure(&mut cases, rounds, &fake);
    print("A token that is due: a refresh at the fake each run", &cases, cases[0].percentile(50.0));

    let mut cases = vec![floor_case(&fresh_dir, &fresh)];
    for n in [10, 10_000] {
        let data = dir.path().join(format!("list-{n}"));
        std::fs::create_dir_all(&data).unwrap();
        SettingsFile::in_dir(&data).save(&sample::many_installations(n)).unwrap();
        cases.push(Case::new(&format!("connector-console-cli list, {n} installations"), COMPANION, &["list"], &data));
        cases.push(Case::new(&format!("connector-console list, {n} installations (before)"), WINDOW, &["list"], &data));
    }
    measure(&mut cases, rounds, &fake);
    print("list", &cases, cases[0].percentile(50.0));
    println!("\nTargets: token fresh ≤ 1.5× the floor at p50; git credential fill ≤ 2×; list at 10,000 < 100 ms.");
}
