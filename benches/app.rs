//! Prints the desktop app's own figures: time to first render, memory, and
//! the same with 1,000 installations. It drives the real window through
//! WebDriver, so run it inside the test environment:
//!
//! `scripts/bench.sh`  (= scripts/with-test-env.sh cargo bench --bench app)

// The E2E harness, shared: the bench uses only part of it.
#[allow(dead_code, unused_imports)]
#[path = "../tests/e2e/harness.rs"]
mod harness;
#[path = "../src-tauri/core/benches/sample.rs"]
mod sample;

use std::path::Path;
use std::time::{Duration, Instant};

use connector_core::store::settings::SettingsFile;
use harness::{App, Options};

/// Resident memory (KiB) of the app and every process it started (WebKit's web and network processes).
fn rss_kib(app_pid: u32) -> (u64, u64) {
    let status = |pid: &str, key: &str| -> Option<String> {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()?
            .lines()
            .find(|l| l.starts_with(key))
            .map(|l| l[key.len()..].trim().to_string())
    };
    let kib = |pid: &str| status(pid, "VmRSS:").and_then(|v| v.trim_end_matches(" kB").trim().parse::<u64>().ok()).unwrap_or(0);
    let own = kib(&app_pid.to_string());
    let mut total = own;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().to_string();
        if status(&pid, "PPid:").as_deref() == Some(&app_pid.to_string()) {
            total += kib(&pid);
        }
    }
    (own, total)
}

fn app_pid() -> u32 {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_connector-console")).unwrap();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe))
        .expect("the app process")
}

fn seed(dir: &Path, n: usize) {
    SettingsFile::in_dir(dir).save(&sample::many_installations(n)).unwrap();
}

fn ms(d: Duration) -> String {
    format!("{:>7.0} ms", d.as_secs_f64() * 1e3)
}

/// Milliseconds between two of the page's own performance marks (its last of each).
async fn between_marks(app: &App, from: &str, to: &str) -> Option<f64> {
    let script = "const [a, b] = Array.from(arguments, (n) => performance.getEntriesByName(n).pop()); \
                  return a && b ? b.startTime - a.startTime : null;";
    app.webdriver().execute(script, vec![from.into(), to.into()]).await.ok()?.as_f64()
}

#[tokio::main]
async fn main() {
    println!("desktop app (release build, Xvfb, WebDriver):");
    let mut starts = Vec::new();
    for round in 0..5 {
        let t = Instant::now();
        let app = App::launch(&format!("bench_start_{round}"), Options::default()).await;
        starts.push(t.elapsed());
        if round == 4 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let (own, total) = rss_kib(app_pid());
            println!("  memory after start: app {} MiB, app + WebKit processes {} MiB", own / 1024, total / 1024);
        }
        app.finish(Ok(())).await;
    }
    starts.sort();
    println!("  launch to first render (median of 5, incl. driver start) {}", ms(starts[2]));

    for n in [10usize, 1_000, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        seed(dir.path(), n);
        let t = Instant::now();
        let app = App::launch("bench_many", Options { data_dir: Some(dir.path().to_path_buf()), ..Options::default() }).await;
        let start = t.elapsed();
        let t = Instant::now();
        app.click("#tab-installations").await.unwrap();
        // The view shows a page (50 rows) and the count of all of them.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // Polled every 5 ms, not through the harness's 100 ms waits: this times the render.
            let page = app.webdriver();
            let rows = page.find_all(fantoccini::Locator::Css("tr[data-installation]")).await.unwrap().len();
            let info = match page.find(fantoccini::Locator::Css("#page-info")).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if rows == n.min(50) && info.ends_with(&format!("of {n}")) {
                break;
            }
            assert!(Instant::now() < deadline, "only {rows} rows rendered ({info})");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let list = t.elapsed();
        let own_clock =
            between_marks(&app, "installations-view-start", "installations-view-rendered").await.expect("the view marks its render");
        let (own, total) = rss_kib(app_pid());
        println!(
            "  {n:>6} installations: Installations view rendered (a page of 50 and the count): page's own clock {} (target < 100 ms), seen through WebDriver {}; launch to first render {}; memory app {} MiB / total {} MiB",
            ms(Duration::from_secs_f64(own_clock / 1e3)),
            ms(list),
            ms(start),
            own / 1024,
            total / 1024
        );
        app.finish(Ok(())).await;
    }
}
