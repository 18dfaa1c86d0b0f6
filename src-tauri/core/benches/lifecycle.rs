//! Prints what Connector Console itself adds to a sign-in, and how the core
//! scales with many installations. Microsoft is the in-process fake, so network
//! latency is ~0 and the figures are the app's own cost (plus the fake's).
//!
//! `cargo bench -p connector-core --bench lifecycle`

#[path = "sample.rs"]
mod sample;
#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::InstallationId;
use connector_core::services::installations::PageQuery;
use connector_core::services::tokens::Status;
use connector_core::store::settings::SettingsFile;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use sample::many_installations;
use support::{consent, opener, run_as_user, share_demo_app, shared_install, sign_in, MemoryStore};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:>8.2} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() {
    // --- Sign-in overhead ---------------------------------------------------
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let services = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store));
    share_demo_app(&services, &fake).await;
    let input = shared_install();
    let (mut begin, mut user, mut finish) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..30 {
        let pressed = Instant::now();
        let (mut opened, mut answered) = (pressed, pressed);
        let (o, a) = (&mut opened, &mut answered);
        // The user's part, timed apart: from the window opening to the redirect.
        run_as_user(&services, &input, |authorize| async move {
            *o = Instant::now();
            let cb = consent(&authorize, "accept").await;
            *a = Instant::now();
            Some(cb)
        })
        .await
        .unwrap();
        begin.push(opened - pressed);
        user.push(answered - opened);
        finish.push(answered.elapsed());
    }
    println!("sign-in (legacy, shared app, 30 runs, medians; Microsoft = in-process fake):");
    println!("  Sign In → window: validate + authorize URL   {}", ms(median(begin)));
    println!("  [user on consent page, 2 HTTP]               {}", ms(median(user)));
    println!("  redirect → ready: token + 3 REST + store     {}", ms(median(finish)));
    let ids: Vec<InstallationId> = services.installations.all().into_iter().map(|i| i.id).collect();
    let mut fast = Vec::new();
    for id in ids.iter().cycle().take(2_000) {
        let t = Instant::now();
        services.tokens.access_token(id).await.unwrap();
        fast.push(t.elapsed());
    }
    println!("  access_token, fresh token (keychain read, in-memory store here) {:>8.1} µs", median(fast).as_secs_f64() * 1e6);

    // --- Scale with many installations -------------------------------------
    println!("scale:");
    for n in [100, 1_000, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::in_dir(dir.path());
        let settings = many_installations(n);
        let t = Instant::now();
        file.save(&settings).unwrap();
        let save = t.elapsed();
        let size = std::fs::metadata(file.path()).unwrap().len();
        let t = Instant::now();
        let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::microsoft(), opener(Arc::default())));
        let open = t.elapsed();
        let t = Instant::now();
        let views = services.installations.views();
        let list = t.elapsed();
        assert_eq!(views.len(), n);
        // What the window asks for: one page of 50, filtered by a search.
        let t = Instant::now();
        let page = services.installations.page(&PageQuery { limit: 50, search: "org-9".into(), ..PageQuery::default() });
        let paged = t.elapsed();
        assert!(page.rows.len() <= 50);
        let t = Instant::now();
        let due = services.tokens.refresh_due().await;
        let scan = t.elapsed();
        assert_eq!(due, 0);
        println!(
            "  {n:>6} installations: settings {:>6} KiB, atomic save {}, open {}, list all {}, page of 50 with search {}, refresh scan {}",
            size / 1024,
            ms(save),
            ms(open),
            ms(list),
            ms(paged),
            ms(scan)
        );
    }

    refresh_storm(std::env::var("STORM").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000)).await;
}

/// N installations due at once (the machine woke up) against the fake with a
/// 20 ms token latency: total time, peak concurrent token requests, failures.
async fn refresh_storm(n: usize) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::default())));
    share_demo_app(&services, &fake).await;
    for _ in 0..n {
        sign_in(&services, &shared_install()).await;
    }
    services
        .state
        .settings
        .update(|s| {
            s.installations.iter_mut().for_each(|i| i.access_expires_at = 0);
            Ok(())
        })
        .unwrap();
    fake.with(|w| {
        w.token_latency = Duration::from_millis(20);
        w.token_peak_in_flight = 0;
    });
    let before = fake.token_requests();
    let t = Instant::now();
    let tried = services.tokens.refresh_due().await;
    let total = t.elapsed();
    let failures = services.installations.all().iter().filter(|i| !matches!(services.tokens.status_of(i), Status::Connected)).count();
    println!(
        "refresh storm: {n} installations due at once, 20 ms token latency: total {}, token requests {}, peak concurrent {} (limit {}), failures {failures} (tried {tried})",
        ms(total),
        fake.token_requests() - before,
        fake.with(|w| w.token_peak_in_flight),
        connector_core::services::tokens::MAX_CONCURRENT_REFRESHES,
    );
}
