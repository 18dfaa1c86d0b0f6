//! Installations over time, in the real window: refresh by itself, needs
//! re-auth when the refresh token is revoked, restart, re-authenticate, uninstall.

use std::time::Duration;

use fake_microsoft::{FakeMicrosoft, Fault, World};

use crate::ensure;
use crate::harness::{keychain_dump, App, Context, Options, SLOW_WAIT, WAIT};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

const ROW: &str = "tr[data-installation]";
const STATUS: &str = "tr[data-installation] [data-status]";
/// The shown buttons matched are two, on one line (else the script returns their tops).
const ONE_LINE: &str = "const tops = [...document.querySelectorAll(arguments[0])].filter((b) => b.offsetParent)
    .map((b) => Math.round(b.getBoundingClientRect().top));
    return (tops.length === 2 && new Set(tops).size === 1) || tops;";

async fn install(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    share_demo_app(app, fake).await?;
    start_install(app, "contoso", "Fabrikam Fiber").await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#install-connected", "Connected to ").await.map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_token_goes_refreshing_then_connected_by_itself() {
    let mut world = World::demo();
    world.lifetimes.access_token = Duration::from_secs(8);
    let fake = FakeMicrosoft::start(world).await.unwrap();
    let app = launch("lifecycle_auto_refresh", &fake).await;
    let result = async {
        install(&app, &fake).await?;
        app.wait_text_is(&format!("{ROW} [data-cell=refreshed]"), "\u{2014}").await.context("not refreshed yet")?;
        // A slow token endpoint keeps "Refreshing" on screen long enough to see.
        fake.with(|w| w.token_faults.push_back(Fault::Delay(Duration::from_millis(1500))));
        let before = fake.token_requests();
        // Every status the row passes through on the way is recorded: it must start connected.
        let seen = app.watch_attr(STATUS, "data-status", "refreshing", SLOW_WAIT).await?;
        ensure!(seen.first().map(String::as_str) == Some("connected"), "started as {seen:?}");
        app.watch_attr(STATUS, "data-status", "connected", WAIT).await?;
        ensure!(fake.token_requests() > before, "no token request was made");
        app.wait_text_where(&format!("{ROW} [data-cell=refreshed]"), "a time, not \u{2014}", |t| !t.is_empty() && t != "\u{2014}")
            .await
            .context("last refreshed not shown")?;
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
        app.watch_attr(STATUS, "data-status", "needs_reauth", SLOW_WAIT).await?;
        // One clamped line in the row (WebDriver's visible text of a clipped line is
        // empty in WebKit, so the DOM's text), the whole reason under Details, said once.
        let detail = app
            .wait_content_where(&format!("{ROW} .status-detail"), "the reason", |t| {
                t.contains("Sign in again") || t.contains("refresh token")
            })
            .await?;
        app.wait_content_where(&format!("{ROW} .status-more p"), "the same reason", |t| t == detail)
            .await
            .context("Details holds the same reason")?;
        app.wait_for(&format!("{ROW} [data-action=reauth].primary")).await.context("Re-authenticate is the row's primary action")?;
        // Details open: the whole reason there, the clamped line gone (said once, not twice).
        app.click(&format!("{ROW} .status-more summary")).await?;
        app.wait_visible(&format!("{ROW} .status-more p")).await?;
        app.wait_hidden(&format!("{ROW} .status-detail")).await.context("the reason shows twice")?;
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
        let row = app.wait_text(ROW, "Fabrikam Fiber").await.context("after restart")?;
        ensure!(row.contains("contoso"), "after restart: {row}");
        app.wait_attr(STATUS, "data-status", Some("connected")).await.context("status after restart")?;
        app.row_menu(ROW, "test").await?;
        // The answer shows in the row it is about.
        app.wait_text(&format!("{ROW} [data-cell=test-result]"), "Connected as Dana Developer").await?;

        // Connected: Re-authenticate waits behind "⋯", and at 1000-1100 px the row's two
        // buttons sit on one line.
        app.wait_hidden(&format!("{ROW} [data-action=reauth][data-place=row]")).await.context("Re-authenticate in a connected row")?;
        app.resize(1050, 780).await?;
        app.wait_js("the row's buttons on one line", ONE_LINE, &[&format!("{ROW} .row-actions > button, {ROW} .menu-wrap > button")])
            .await?;
        app.row_menu(ROW, "reauth").await?;
        app.wait_value("#field-organization", "contoso").await.context("org not kept")?;
        app.wait_value("#field-project", "Fabrikam Fiber").await.context("project not kept")?;
        // Nothing to enter: it opens at Sign In, checked already, with the focus there.
        app.wait_for("#sign-in").await?;
        app.wait_focus("button#sign-in").await.context("focus after Re-authenticate")?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "Re-authenticated contoso / Fabrikam Fiber as Dana Developer.").await?;
        app.wait_count(ROW, 1).await.context("re-authenticate made another row")?;
        app.wait_for(&format!("{ROW}.just-changed")).await.context("the re-authenticated row is not marked")?;
        app.wait_gone("#install-connected").await.context("a re-authentication is no new install")?;

        ensure!(keychain_dump().contains("installation/"), "tokens missing before uninstall");
        app.row_menu(ROW, "uninstall").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#installations-status", "Uninstalled").await?;
        app.wait_hidden(ROW).await.context("row still shown")?;
        ensure!(!keychain_dump().contains("installation/"), "secret-tool still finds installation entries:\n{}", keychain_dump());
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_uninstall_the_keyboard_is_on_the_next_row_then_on_the_heading() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("lifecycle_uninstall_focus", &fake).await;
    let result = async {
        install(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        app.wait_count(ROW, 2).await?;
        let first = format!("{ROW}:first-of-type");
        let gone = app.wait_text_where(&first, "the first row", |t| !t.is_empty()).await?;
        app.row_menu(&first, "uninstall").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#installations-status", "Uninstalled").await?;
        app.wait_count(ROW, 1).await?;
        // Not lost to <body>: on the row that took the uninstalled one's place.
        app.wait_focus(&format!("{first} button[data-action=methods]")).await.context("focus after the first Uninstall")?;
        let left = app.wait_text_where(&first, "the row left", |t| !t.is_empty()).await?;
        ensure!(left != gone, "the uninstalled row is still shown: {left}");
        // The last one gone: the keyboard is on the list's heading, where the status is said.
        app.row_menu(&first, "uninstall").await?;
        app.click("#confirm-yes").await?;
        app.wait_count(ROW, 0).await?;
        app.wait_focus("h2#installations-heading").await.context("focus after the last Uninstall")
    }
    .await;
    app.finish(result).await;
}
