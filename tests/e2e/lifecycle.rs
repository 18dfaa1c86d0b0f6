//! Installations over time, in the real window: refresh by itself, needs
//! re-auth when the refresh token is revoked, restart, re-authenticate, uninstall.

use std::time::{Duration, Instant};

use fake_microsoft::{FakeMicrosoft, Fault, World};

use crate::ensure;
use crate::harness::{keychain_dump, App, Options};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install, WAIT};

const ROW: &str = "tr[data-installation]";

async fn install(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    share_demo_app(app, fake).await?;
    start_install(app, "contoso", "Fabrikam Fiber").await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#installations-status", "ready for use", WAIT).await.map(|_| ())
}

async fn row_status(app: &App) -> Result<String, String> {
    Ok(app.attr(&format!("{ROW} [data-status]"), "data-status").await?.unwrap_or_default())
}

/// Polls the row's status, recording every state seen, until `want` shows up.
async fn watch_until(app: &App, want: &str, timeout: Duration) -> Result<Vec<String>, String> {
    let deadline = Instant::now() + timeout;
    let mut seen: Vec<String> = Vec::new();
    loop {
        let s = row_status(app).await.unwrap_or_default();
        if seen.last() != Some(&s) {
            seen.push(s.clone());
        }
        if s == want {
            return Ok(seen);
        }
        ensure!(Instant::now() < deadline, "status never became {want}; saw {seen:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_token_goes_refreshing_then_connected_by_itself() {
    let mut world = World::demo();
    world.lifetimes.access_token = Duration::from_secs(8);
    let fake = FakeMicrosoft::start(world).await.unwrap();
    let app = launch("lifecycle_auto_refresh", &fake).await;
    let result = async {
        install(&app, &fake).await?;
        ensure!(app.text(&format!("{ROW} [data-cell=refreshed]")).await? == "\u{2014}", "not refreshed yet");
        // A slow token endpoint keeps "Refreshing" on screen long enough to see.
        fake.with(|w| w.token_faults.push_back(Fault::Delay(Duration::from_millis(1500))));
        let before = fake.token_requests();
        let seen = watch_until(&app, "refreshing", Duration::from_secs(20)).await?;
        ensure!(seen.first().map(String::as_str) == Some("connected"), "started as {seen:?}");
        watch_until(&app, "connected", Duration::from_secs(10)).await?;
        ensure!(fake.token_requests() > before, "no token request was made");
        let refreshed = app.text(&format!("{ROW} [data-cell=refreshed]")).await?;
        ensure!(refreshed != "\u{2014}", "last refreshed not shown");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_refresh_token_shows_needs_reauth() {
    let mut world = World::demo();
    world.lifetimes.access_token = Duration::from_secs(6);
    let fake = FakeMicrosoft::start(world).await.unwrap();
    let app = launch("lifecycle_revoked", &fake).await;
    let result = async {
        install(&app, &fake).await?;
        fake.with(|w| w.revoke_all_refresh_tokens());
        watch_until(&app, "needs_reauth", Duration::from_secs(20)).await?;
        // One clamped line in the row (WebDriver's visible text of a clipped line is
        // empty in WebKit), the whole reason under Details, said once.
        let detail = crate::first_minutes::text_content(&app, &format!("{ROW} .status-detail")).await?;
        ensure!(detail.contains("Sign in again") || detail.contains("refresh token"), "reason: {detail}");
        let full = crate::first_minutes::text_content(&app, &format!("{ROW} .status-more p")).await?;
        ensure!(full == detail, "Details holds the same reason: {full}");
        ensure!(
            app.client.find(fantoccini::Locator::Css(&format!("{ROW} [data-action=reauth].primary"))).await.is_ok(),
            "Re-authenticate is the row's primary action"
        );
        app.save_screenshot("needs-reauth.png").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_a_restart_reauth_keeps_org_and_project_and_uninstall_cleans_up() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("lifecycle_restart_reauth_uninstall", &fake).await;
    let result = install(&app, &fake).await;
    if result.is_err() {
        return app.finish(result).await;
    }
    let stopped = app.quit().await;
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    let app = App::restart("lifecycle_after_restart", opts, stopped).await;
    let result = async {
        app.click("#tab-installations").await?;
        app.wait_for(ROW, WAIT).await?;
        let row = app.text(ROW).await?;
        ensure!(row.contains("contoso") && row.contains("Fabrikam Fiber"), "after restart: {row}");
        ensure!(row_status(&app).await? == "connected", "status after restart");
        app.row_menu(ROW, "test").await?;
        // The answer shows in the row it is about.
        app.wait_text(&format!("{ROW} [data-cell=test-result]"), "Connected as Dana Developer", WAIT).await?;

        app.click(&format!("{ROW} [data-action=reauth]")).await?;
        app.wait_for("#field-organization", WAIT).await?;
        ensure!(app.value("#field-organization").await? == "contoso", "org not kept");
        ensure!(app.value("#field-project").await? == "Fabrikam Fiber", "project not kept");
        // Nothing to enter: it opens at Sign In, checked already, with the focus there.
        app.wait_for("#sign-in", WAIT).await?;
        let focused = app.focused().await?;
        ensure!(focused == "button#sign-in", "focus after Re-authenticate: {focused:?}");
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;
        let rows = app.client.find_all(fantoccini::Locator::Css(ROW)).await.map_err(|e| e.to_string())?;
        ensure!(rows.len() == 1, "re-authenticate made {} rows", rows.len());

        ensure!(keychain_dump().contains("installation/"), "tokens missing before uninstall");
        app.row_menu(ROW, "uninstall").await?;
        app.wait_for("#confirm-dialog[open]", WAIT).await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#installations-status", "Uninstalled", WAIT).await?;
        ensure!(!app.is_visible(ROW).await?, "row still shown");
        ensure!(!keychain_dump().contains("installation/"), "secret-tool still finds installation entries:\n{}", keychain_dump());
        Ok(())
    }
    .await;
    app.finish(result).await;
}
