//! A shared legacy app's Client Secret that actually expired, in the real window: Microsoft
//! refuses it and ends every token issued with it (docs/microsoft.md), so every installation
//! must sign in again. The Installations view says so once, above the list; until the admin
//! saved a new secret it offers nothing, then "Re-authenticate all (2)" walks through both
//! rows with each row's own Re-authenticate, and both end Connected. Until then the Library
//! card of the shared entry says Microsoft refused its secret, and on which day.

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{App, Context, TestResult};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

const NEXT_SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.after-expiry";
const NOTICE: &str = "#expired-secret";
const PROGRESS: &str = "#reauth-all-progress";
const CARD_WARNING: &str = "#secret-warning-azure-devops";

async fn install(app: &App, project: &str) -> TestResult {
    start_install(app, "contoso", project).await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#install-connected", "Connected to ").await.map(drop)
}

/// The Installations view drawn afresh (it asks the core for the notice as it opens).
async fn installations(app: &App) -> TestResult {
    app.click("#tab-library").await?;
    app.wait_for("#edit-azure-devops").await?;
    app.click("#tab-installations").await?;
    app.wait_for("tr[data-installation]").await
}

/// One step of the walk: its progress line, then the row's own Re-authenticate (at Sign in).
async fn step(app: &App, progress: &str) -> TestResult {
    app.wait_text(PROGRESS, progress).await?;
    app.wait_focus("#reauth-all-form button#sign-in").await.context("the step opens at Sign in")?;
    app.click("#reauth-all-form #sign-in").await?;
    in_sign_in_window(app, "#accept").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_shared_secret_expired_re_authenticate_all_signs_every_installation_in_again() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("expired_secret", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        install(&app, "Website").await?;
        install(&app, "Fabrikam Fiber").await?;
        // The secret expires, and with it every token it minted; the owner adds a new one on
        // the registration page. The fake drops every access token, so Test connection refreshes.
        fake.with(|w| {
            w.legacy_apps[0].secret_expired = true;
            w.legacy_apps[0].overlapping_secret = Some(NEXT_SECRET.into());
            w.expire_all_access_tokens();
        });
        let row = "tr[data-installation]:nth-child(1)";
        app.row_menu(row, "test").await?;
        app.wait_content(&format!("{row} [data-cell=test-result]"), "Client Secret").await?;
        // Microsoft refused the secret: all must sign in again, but not before the admin acts.
        installations(&app).await?;
        let said = app.wait_text(NOTICE, "all 2 installations must sign in again").await?;
        ensure!(said.contains("Microsoft refused the shared app\u{2019}s client secret on "), "notice: {said}");
        app.wait_text("#expired-secret-first", "First the admin must add a new client secret").await?;
        app.wait_gone("#reauth-all").await.context("nothing offered that can't work yet")?;
        // The admin sees on the entry's card that the secret was refused, and saves a new one.
        app.click("#tab-library").await?;
        let card = app.wait_text(CARD_WARNING, "Microsoft refused this entry").await?;
        ensure!(card.contains("Client Secret on 20") && card.contains("Save a new one here"), "card: {card}");
        app.click("#edit-azure-devops").await?;
        app.fill("#field-client_secret", NEXT_SECRET).await?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved").await?;
        app.click("#tab-library").await?;
        app.wait_for("#edit-azure-devops").await?;
        app.wait_gone(CARD_WARNING).await.context("a new secret is saved: the card no longer warns")?;
        installations(&app).await?;
        app.wait_text(NOTICE, "all 2 installations must sign in again").await?;
        app.wait_gone("#expired-secret-first").await?;
        app.wait_text_is("#reauth-all", "Re-authenticate all (2)").await?;
        app.resize(800, 600).await?;
        app.click("#reauth-all").await?;
        app.wait_text(PROGRESS, "1 of 2: contoso / Website").await?;
        app.save_screenshot("reauth-all-800.png").await?;
        step(&app, "1 of 2: contoso / Website").await?;
        step(&app, "2 of 2: contoso / Fabrikam Fiber").await?;
        app.wait_text("#installations-status", "Re-authenticate all: 2 re-authenticated.").await?;
        app.wait_count("tr[data-installation] [data-status='connected']", 2).await.context("both rows Connected")?;
        app.wait_gone(NOTICE).await.context("nobody is left to sign in again")?;
        // Each row's tokens are the new secret's: Test connection works on both.
        for n in [1, 2] {
            let row = format!("tr[data-installation]:nth-child({n})");
            app.row_menu(&row, "test").await?;
            app.wait_content(&format!("{row} [data-cell=test-result]"), "Connected as").await?;
        }
        Ok(())
    }
    .await;
    app.finish(result).await;
}
