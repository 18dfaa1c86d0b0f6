//! Many installations: a page with search and status filter instead of every
//! row, and a refresh storm bounded to MAX_CONCURRENT_REFRESHES token requests.

mod support;

use std::sync::Arc;
use std::time::Duration;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::services::installations::{PageQuery, StatusFilter};
use connector_core::services::tokens::{Status, MAX_CONCURRENT_REFRESHES};
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, share_demo_app, shared_install, sign_in};

async fn installed(n: usize) -> (FakeMicrosoft, Arc<Services>, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::default())));
    share_demo_app(&services, &fake).await;
    for k in 0..n {
        let mut input = shared_install();
        input.project = if k % 2 == 0 { "Website".into() } else { "Fabrikam Fiber".into() };
        sign_in(&services, &input).await;
    }
    (fake, services, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refresh_storm_sends_at_most_the_limit_at_once_and_all_succeed() {
    let (fake, s, _dir) = installed(40).await;
    s.state
        .settings
        .update(|x| {
            x.installations.iter_mut().for_each(|i| i.access_expires_at = 0);
            Ok(())
        })
        .unwrap();
    fake.with(|w| {
        w.token_latency = Duration::from_millis(50);
        w.token_peak_in_flight = 0;
    });
    let before = fake.token_requests();
    assert_eq!(s.tokens.refresh_due().await, 40);
    assert_eq!(fake.token_requests() - before, 40, "one request each");
    let peak = fake.with(|w| w.token_peak_in_flight);
    assert!(peak <= MAX_CONCURRENT_REFRESHES as u64 && peak > 1, "peak {peak}");
    assert!(s.installations.all().iter().all(|i| s.tokens.status_of(i) == Status::Connected));
    // With nothing due, the refresher sleeps until the next one is (5 minutes before expiry), at most a minute.
    let wait = s.tokens.next_due_in(connector_core::store::settings::now_secs());
    assert!(wait > Duration::from_secs(50), "{wait:?}");
}

#[tokio::test]
async fn the_window_gets_a_page_and_counts_with_search_and_filter() {
    let (_fake, s, _dir) = installed(7).await;
    let all = s.installations.page(&PageQuery { limit: 3, ..PageQuery::default() });
    assert_eq!((all.total, all.matching, all.rows.len()), (7, 7, 3));
    let second = s.installations.page(&PageQuery { offset: 6, limit: 3, ..PageQuery::default() });
    assert_eq!(second.rows.len(), 1);
    let fabrikam = s.installations.page(&PageQuery { search: "FABRIKAM fiber".into(), limit: 50, ..PageQuery::default() });
    assert_eq!(fabrikam.matching, 3);
    assert!(fabrikam.rows.iter().all(|r| r.installation.project == "Fabrikam Fiber"));
    let by_user = s.installations.page(&PageQuery { search: "dana".into(), limit: 50, ..PageQuery::default() });
    assert_eq!(by_user.matching, 7, "the user's name matches too");
    let reauth = s.installations.page(&PageQuery { status: Some(StatusFilter::NeedsReauth), limit: 50, ..PageQuery::default() });
    assert_eq!(reauth.matching, 0);
}
