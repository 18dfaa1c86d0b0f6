//! A shared legacy app's secret rotated with no outage, in the real window: the owner adds a
//! second secret on the registration page, the admin pastes it into Rotate secret, every
//! installation is renewed with it ("2 of 2"), and when the old secret expires (Microsoft then
//! ends every token it minted, docs/microsoft.md) nothing needs a sign-in.

use fake_microsoft::{FakeMicrosoft, World};

use crate::harness::{App, TestResult};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

const NEXT_SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.second-secret";

async fn install(app: &App, project: &str) -> TestResult {
    start_install(app, "contoso", project).await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#install-connected", "Connected to ").await.map(drop)
}

/// Test connection on the `n`th row, and the answer it shows there.
async fn test_connection(app: &App, n: usize) -> Result<String, String> {
    let row = format!("tr[data-installation]:nth-child({n})");
    app.row_menu(&row, "test").await?;
    app.wait_content(&format!("{row} [data-cell=test-result]"), "Connected as").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_renews_every_installation_so_the_old_secret_expires_with_no_sign_in() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("secret_rotation", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        install(&app, "Website").await?;
        install(&app, "Fabrikam Fiber").await?;
        // The owner adds a second secret on the registration page: both work for now.
        fake.with(|w| w.legacy_apps[0].overlapping_secret = Some(NEXT_SECRET.into()));
        app.click("#tab-library").await?;
        app.click("#rotate-azure-devops").await?;
        app.fill("#field-next_client_secret", NEXT_SECRET).await?;
        app.fill("#field-next_client_secret_expires", "2027-02-01").await?;
        app.click("#rotation-renew").await?;
        app.wait_text("#rotation-outcome", "2 of 2 installations renewed").await?;
        app.wait_text("#rotation-outcome", "Nothing uses the old secret").await?;
        app.save_screenshot("rotation-outcome.png").await?;
        app.click("#rotation-done").await?;
        app.wait_text("#library-status", "2 of 2 installations renewed").await?;
        // The old secret expires, and with it every token it minted; the fake also drops every
        // access token, so each Test connection below must refresh.
        fake.with(|w| {
            w.legacy_apps[0].secret_expired = true;
            w.expire_all_access_tokens();
        });
        app.click("#tab-installations").await?;
        for n in [1, 2] {
            test_connection(&app, n).await?;
        }
        app.wait_count("tr[data-installation] [data-status='connected']", 2).await
    }
    .await;
    app.finish(result).await;
}
