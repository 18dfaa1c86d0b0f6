//! The sign-in window is private: Microsoft's session cookies never reach the
//! disk, so the next person at the machine is not signed in as the previous one.

use std::path::PathBuf;

use fake_microsoft::{FakeMicrosoft, World};

use crate::harness::files_containing;
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install, WAIT};

/// Everywhere a webview could keep data for this app (the test env gives a private XDG_DATA_HOME).
fn webview_data_places(data_dir: &std::path::Path) -> Vec<PathBuf> {
    let mut places = vec![data_dir.to_path_buf()];
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    for base in [std::env::var_os("XDG_DATA_HOME").map(PathBuf::from), Some(home.join(".cache")), Some(home.join(".local/share"))]
        .into_iter()
        .flatten()
    {
        places.push(base.join("com.connectorconsole.desktop"));
        places.push(base.join("connector-console"));
    }
    places
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_microsoft_cookie_is_written_to_disk_by_a_sign_in() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("privacy_no_cookies", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await.map(|_| ())
    }
    .await;
    if result.is_err() {
        app.finish(result).await;
        return;
    }
    // Quit, so whatever the webview would persist has been flushed.
    let stopped = app.quit().await;
    let hits: Vec<PathBuf> =
        webview_data_places(&stopped.data_dir).iter().flat_map(|p| files_containing(p, "FakeMicrosoftSession")).collect();
    assert!(hits.is_empty(), "Microsoft's session cookie was written to disk: {hits:?}");
}
