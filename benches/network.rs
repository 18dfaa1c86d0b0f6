//! Each user action over a network that costs what a real one does: the fake Microsoft
//! answers every request after `NETWORK_LATENCY_MS` (default 150 ms) and records when each
//! request came and was answered. Per action: the wall time, the requests, and the serial
//! depth (the longest chain of requests each of which waited for the one before), beside
//! the protocol's floor, the fewest round trips one after another the protocol allows.
//! The time a person spends on Microsoft's page is left out (its requests too).
//! In-process actions go through the core's services, `token` and `git credential fill`
//! through the real `connector-console-cli`. It needs the real keychain: `scripts/bench.sh`.
//! `NETWORK_BENCH_RUNS` sets the runs per action (default 5; the median wall time is shown).

#[path = "../src-tauri/core/benches/sample.rs"]
mod sample;
#[path = "../src-tauri/core/tests/support/mod.rs"]
mod support;

use std::future::Future;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::MethodId;
use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::services::installations::PageQuery;
use connector_core::services::methods::MethodRequest;
use connector_core::store::settings::SettingsFile;
use connector_core::Services;
use fake_microsoft::{serial_depth, Exchange, FakeMicrosoft, World};

const COMPANION: &str = env!("CARGO_BIN_EXE_connector-console-cli");

/// One action's runs: wall times, and the requests of each run.
struct Row {
    action: &'static str,
    floor: usize,
    why: &'static str,
    walls: Vec<Duration>,
    requests: Vec<Vec<Exchange>>,
}

/// One figure over the runs: "n", or "least–most" when runs differ.
fn range(values: impl Iterator<Item = usize>) -> String {
    let v: Vec<usize> = values.collect();
    let (min, max) = (v.iter().min().copied().unwrap_or(0), v.iter().max().copied().unwrap_or(0));
    if min == max {
        min.to_string()
    } else {
        format!("{min}–{max}")
    }
}

impl Row {
    fn median_ms(&self) -> f64 {
        let mut w = self.walls.clone();
        w.sort();
        w[w.len() / 2].as_secs_f64() * 1e3
    }
}

/// The actions' rows, in the order measured.
struct Table {
    runs: usize,
    rows: Vec<Row>,
}

impl Table {
    /// Runs `action` `runs` times; it returns its wall time and the requests that count
    /// (the fake's record, less what the person on Microsoft's page caused).
    async fn measure<F, Fut>(&mut self, fake: &FakeMicrosoft, action: &'static str, floor: usize, why: &'static str, mut run: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = (Duration, Vec<Exchange>)>,
    {
        let mut row = Row { action, floor, why, walls: Vec::new(), requests: Vec::new() };
        for _ in 0..self.runs {
            fake.take_requests();
            let (wall, requests) = run().await;
            row.walls.push(wall);
            row.requests.push(requests);
        }
        self.rows.push(row);
    }

    fn print(&self, latency: Duration) {
        let ms = latency.as_millis();
        println!("\n| Action | Requests | Serial depth | Floor | Wall ms at {ms} ms (median of {}) |", self.runs);
        println!("|---|---|---|---|---|");
        for r in &self.rows {
            let (count, depth) = (range(r.requests.iter().map(Vec::len)), range(r.requests.iter().map(|e| serial_depth(e.as_slice()))));
            println!("| {} | {count} | {depth} | {} | {:.0} |", r.action, r.floor, r.median_ms());
        }
        println!("\nFloors:");
        for r in &self.rows {
            println!("  {}: {} ({})", r.action, r.floor, r.why);
        }
        println!("\nEach action's requests in its last run (ms from the action's first request: start-end):");
        for r in &self.rows {
            let last = r.requests.last().map(Vec::as_slice).unwrap_or_default();
            let zero = last.iter().map(|e| e.start).min().unwrap_or_default();
            let at = |d: Duration| (d - zero).as_millis();
            let list: Vec<String> = last.iter().map(|e| format!("{} {} {}-{}", e.method, e.path, at(e.start), at(e.end))).collect();
            println!("  {}: {}", r.action, if list.is_empty() { "none".into() } else { list.join(", ") });
        }
    }
}

/// Times one future; returns its time and output.
async fn timed<T>(f: impl Future<Output = T>) -> (Duration, T) {
    let t = Instant::now();
    let out = f.await;
    (t.elapsed(), out)
}

/// An action whose every request counts.
async fn simple(fake: &FakeMicrosoft, action: impl Future<Output = ()>) -> (Duration, Vec<Exchange>) {
    let (wall, ()) = timed(action).await;
    (wall, fake.take_requests())
}

/// Runs the command line once, as Git or a script would, and returns its wall time.
fn run_cli(fake: &FakeMicrosoft, data: &Path, program: &str, args: &[String], stdin: Option<&str>) -> Duration {
    use std::io::Write;
    let mut c = Command::new(program);
    c.args(args)
        .env("CONNECTOR_CONSOLE_DATA_DIR", data)
        .env("CONNECTOR_CONSOLE_MICROSOFT_URL", fake.base_url())
        .env("HOME", data)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let t = Instant::now();
    let mut child = c.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let wall = t.elapsed();
    assert!(out.status.success() && !out.stdout.is_empty(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    wall
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn git_fill_args() -> Vec<String> {
    let helper = format!("credential.https://dev.azure.com.helper=!{COMPANION} git-credential");
    strings(&["-c", "credential.helper=", "-c", &helper, "-c", "credential.https://dev.azure.com.useHttpPath=true", "credential", "fill"])
}

fn method(installation: &InstallationId, method: MethodId, inputs: &[(&str, &str)]) -> MethodRequest {
    MethodRequest {
        installation: installation.clone(),
        method,
        inputs: inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

/// Sign In pressed → Microsoft's page (measured), the person's answer there (not
/// measured), the redirect → Connected (measured; for Entra, with the browser's request to the
/// loopback). `whole` counts the first part too.
async fn sign_in(services: &Services, fake: &FakeMicrosoft, input: &InstallInput, whole: bool) -> (Duration, Vec<Exchange>) {
    let pressed = Instant::now();
    let (mut begin, mut answered, mut kept) = (Duration::ZERO, pressed, Vec::new());
    let (b, a, k) = (&mut begin, &mut answered, &mut kept);
    support::run_as_user(services, input, |authorize| async move {
        *b = pressed.elapsed();
        *k = fake.take_requests();
        let callback = support::consent(&authorize, "accept").await;
        fake.take_requests();
        *a = Instant::now();
        Some(callback)
    })
    .await
    .unwrap();
    let finish = answered.elapsed();
    if !whole {
        kept.clear();
    }
    kept.extend(fake.take_requests());
    (if whole { begin + finish } else { finish }, kept)
}

fn main() {
    let latency = Duration::from_millis(std::env::var("NETWORK_LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(150));
    let runs = std::env::var("NETWORK_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeMicrosoft::start(World::demo())).unwrap();
    let mut table = Table { runs, rows: Vec::new() };
    let dir = tempfile::tempdir().unwrap();
    runtime.block_on(in_process(&mut table, &fake, dir.path(), latency));
    fake.set_latency(Duration::ZERO);
    runtime.block_on(command_line(&mut table, &fake, dir.path(), latency));
    table.print(latency);
}

/// The window's actions, through the core's services. The stage is set without latency.
async fn in_process(t: &mut Table, fake: &FakeMicrosoft, dir: &Path, latency: Duration) {
    let services = Services::open(dir.join("app"), Endpoints::under(fake.base_url()).unwrap());
    let s = &services;
    // With the audit log's scope too, so every method runs.
    let all = "vso.work_full vso.project vso.auditlog";
    fake.with(|w| w.legacy_apps[0].scopes = all.split(' ').map(str::to_string).collect());
    support::share_demo_app_with_scopes(s, fake, all).await;
    let legacy = support::shared_install();
    let id = support::sign_in(s, &legacy).await;
    // Without a library entry, so the install form's own Entra app is the one used.
    let own = Services::open(dir.join("own"), Endpoints::under(fake.base_url()).unwrap());
    // An own Entra app (the fake's public client) with the Tenant ID left blank.
    let entra = support::own_entra_install(fake, "");
    // The project holds 1,000 work items, 200 of them in a sprint, so one query returns 200
    // and another a query's most, 1,000 (five reads of 200).
    fake.with(|w| {
        let project = w.organizations[0].projects.iter_mut().find(|p| p.name == "Website").unwrap();
        let template = project.work_items[0].clone();
        let title = |n: u64| if n <= 200 { format!("Sprint item {n}") } else { format!("Item {n}") };
        project.work_items = (1..=1000).map(|n| fake_microsoft::WorkItem { id: 10_000 + n, title: title(n), ..template.clone() }).collect();
    });
    fake.set_latency(latency);

    t.measure(fake, "Install check (Next), legacy shared app", 0, "nothing to ask: fields and scopes are checked here", || {
        simple(fake, async { s.sign_in.preflight(&legacy).await.map(drop).unwrap() })
    })
    .await;
    // A first Next for the organization: a window just opened, nothing found yet.
    let (mut n, blank) = (0, &entra);
    t.measure(fake, "Install check (Next), Entra, blank Tenant ID", 1, "one HEAD on the organization's URL names its tenant", || {
        n += 1;
        let fresh = Services::open(dir.join(format!("next-{n}")), Endpoints::under(fake.base_url()).unwrap());
        async move { simple(fake, async { fresh.sign_in.preflight(blank).await.map(drop).unwrap() }).await }
    })
    .await;
    t.measure(
        fake,
        "Sign In pressed → Microsoft's page, Entra, blank Tenant ID (after Next)",
        0,
        "the tenant was found at Next, minutes ago at most",
        || async {
            own.sign_in.preflight(&entra).await.unwrap();
            fake.take_requests();
            let pressed = Instant::now();
            let (mut wall, mut sent) = (Duration::ZERO, Vec::new());
            let (w, r) = (&mut wall, &mut sent);
            // On Microsoft's page the user gives up: the sign-in ends, cancelled.
            let ended = support::run_as_user(&own, &entra, |_| async move {
                *w = pressed.elapsed();
                *r = fake.take_requests();
                None
            })
            .await;
            assert_eq!(ended.unwrap_err().code(), "sign_in_cancelled");
            (wall, sent)
        },
    )
    .await;
    let ready_floor = "the code for tokens; then the profile, with the project beside it; then the accounts, which need the profile's id";
    t.measure(fake, "Sign-in, redirect → Connected, legacy", 3, ready_floor, || sign_in(s, fake, &legacy, false)).await;
    t.measure(fake, "Sign-in, redirect → Connected, Entra, blank Tenant ID", 3, ready_floor, || sign_in(&own, fake, &entra, false)).await;
    let reauth = InstallInput { reauth: Some(id.clone()), ..legacy.clone() };
    t.measure(
        fake,
        "Re-authenticate (Sign In → page, redirect → Connected), legacy",
        3,
        "as sign-in: nothing to ask before the page",
        || sign_in(s, fake, &reauth, true),
    )
    .await;
    t.measure(fake, "Test connection (token fresh)", 2, "the profile with the project beside it, then the accounts", || {
        simple(fake, async { s.methods.test_connection(&id).await.map(drop).unwrap() })
    })
    .await;
    let query =
        method(&id, MethodId::ListWorkItems, &[("wiql", "SELECT [System.Id] FROM WorkItems WHERE [System.Title] CONTAINS 'Sprint'")]);
    t.measure(fake, "Method: WIQL query, 200 items", 2, "the query for ids, then one read of 200", || {
        simple(fake, async { assert_eq!(s.methods.run(&query, None).await.unwrap().rows.len(), 200) })
    })
    .await;
    let most = method(&id, MethodId::ListWorkItems, &[("wiql", "SELECT [System.Id] FROM WorkItems ORDER BY [System.Id] DESC")]);
    t.measure(fake, "Method: WIQL query, 1,000 items", 2, "the query for ids, then five reads of 200 at once", || {
        simple(fake, async { assert_eq!(s.methods.run(&most, None).await.unwrap().rows.len(), 1000) })
    })
    .await;
    let get = method(&id, MethodId::GetWorkItem, &[("ids", "10001, 10002, 10003")]);
    t.measure(fake, "Method: get 3 work items", 1, "one read by ids", || {
        simple(fake, async { s.methods.run(&get, None).await.map(drop).unwrap() })
    })
    .await;
    let create = method(&id, MethodId::CreateWorkItem, &[("type", "Task"), ("title", "Benchmark")]);
    t.measure(fake, "Method: create a work item", 1, "one POST", || {
        simple(fake, async { s.methods.run(&create, None).await.map(drop).unwrap() })
    })
    .await;
    let audit = method(&id, MethodId::QueryAuditLog, &[]);
    t.measure(fake, "Method: audit log (one page)", 1, "one GET per page; pages follow a continuation token", || {
        simple(fake, async { s.methods.run(&audit, None).await.map(drop).unwrap() })
    })
    .await;

    // The window's list: 100 installations, the page it asks for.
    let list_dir = dir.join("list-100");
    std::fs::create_dir_all(&list_dir).unwrap();
    SettingsFile::in_dir(&list_dir).save(&sample::many_installations(100)).unwrap();
    let many = Services::open(&list_dir, Endpoints::under(fake.base_url()).unwrap());
    t.measure(fake, "Installations list data, 100 installations (a page of 50)", 0, "all local: settings and status", || async {
        let (wall, page) = timed(async { many.installations.page(&PageQuery { limit: 50, ..PageQuery::default() }) }).await;
        assert_eq!(page.rows.len(), 50);
        (wall, fake.take_requests())
    })
    .await;
}

/// A data folder with one installation signed in through the shared app.
async fn sign_in_at(fake: &FakeMicrosoft, data: std::path::PathBuf) -> (std::path::PathBuf, InstallationId) {
    let services = Services::open(&data, Endpoints::under(fake.base_url()).unwrap());
    support::share_demo_app_with_scopes(&services, fake, "vso.work_full vso.project vso.auditlog").await;
    let id = support::sign_in(&services, &support::shared_install()).await;
    (data, id)
}

/// `token` and `git credential fill` through `connector-console-cli`.
async fn command_line(t: &mut Table, fake: &FakeMicrosoft, dir: &Path, latency: Duration) {
    let (fresh_dir, _) = sign_in_at(fake, dir.join("fresh")).await;
    // Tokens that live one second are always due: every run refreshes (and rotates).
    fake.with(|w| w.lifetimes.access_token = Duration::from_secs(1));
    let (due_dir, due) = sign_in_at(fake, dir.join("due")).await;
    fake.set_latency(latency);
    // The command line blocks this thread only; the runtime's workers serve the fake.
    let token = |id: &InstallationId| strings(&["token", "--installation", id.as_str()]);
    let git_input = Some("url=https://dev.azure.com/contoso/Website/_git/Website\n\n");
    let cli = |data: &Path, program: &str, args: Vec<String>, stdin: Option<&str>| {
        let wall = run_cli(fake, data, program, &args, stdin);
        async move { (wall, fake.take_requests()) }
    };
    t.measure(fake, "connector-console-cli token, refresh due", 1, "one refresh at the token endpoint", || {
        cli(&due_dir, COMPANION, token(&due), None)
    })
    .await;
    t.measure(fake, "git credential fill, fresh token", 0, "the token is in the keychain", || {
        cli(&fresh_dir, "git", git_fill_args(), git_input)
    })
    .await;
    t.measure(fake, "git credential fill, refresh due", 1, "one refresh at the token endpoint", || {
        cli(&due_dir, "git", git_fill_args(), git_input)
    })
    .await;
}
