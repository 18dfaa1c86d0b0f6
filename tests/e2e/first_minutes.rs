//! "The first ten minutes", in the real window: a managed library entry installs
//! with the organization's app, the Installations list fits an 800 x 600 window,
//! a cancelled sign-in is not an error, the callback URL waits for its domain,
//! field errors go as the field is fixed, Install waits for the keychain, and
//! Escape and tab switches don't lose a half-filled form.

use std::time::{Duration, Instant};

use fake_microsoft::{FakeMicrosoft, World};
use fantoccini::Locator;
use serde_json::Value;

use crate::ensure;
use crate::entra::own_entra_app_at_check;
use crate::harness::{keychain_dump, App, Options, TestResult};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install, WAIT};

const ROW: &str = "tr[data-installation]";
const APP_ID: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";

/// Runs a script in the page; `arguments[0]` is `arg`.
pub async fn js(app: &App, script: &str, arg: &str) -> Result<Value, String> {
    app.client.execute(script, vec![arg.into()]).await.map_err(|e| format!("script {script:?}: {e}"))
}

/// The text of an element as the DOM has it (also when it is hidden or empty).
pub async fn text_content(app: &App, css: &str) -> Result<String, String> {
    let v = js(app, "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css).await?;
    v.as_str().map(str::to_string).ok_or_else(|| format!("{css} is not on the page"))
}

async fn is_present(app: &App, css: &str) -> Result<bool, String> {
    Ok(!app.client.find_all(Locator::Css(css)).await.map_err(|e| e.to_string())?.is_empty())
}

/// Waits until the element is displayed (a hidden view keeps its old elements, so presence is not enough).
async fn wait_visible(app: &App, css: &str) -> TestResult {
    let deadline = Instant::now() + WAIT;
    while !app.is_visible(css).await? {
        ensure!(Instant::now() < deadline, "{css} never became visible");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Resizes the window through WebDriver and waits until the page has the new width.
pub async fn resize(app: &App, width: u32, height: u32) -> TestResult {
    app.client.set_window_rect(0, 0, width, height).await.map_err(|e| format!("set_window_rect {width}x{height}: {e}"))?;
    let deadline = Instant::now() + WAIT;
    loop {
        let inner = js(app, "return window.innerWidth;", "").await?.as_u64().unwrap_or(0);
        // The page can be a little narrower than the window (its frame), never wider.
        if inner <= u64::from(width) && inner + 40 >= u64::from(width) {
            return Ok(());
        }
        ensure!(Instant::now() < deadline, "the window never became {width} px wide (innerWidth {inner})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The page is no wider than the window: no sideways scrolling.
pub async fn fits(app: &App, screen: &str) -> TestResult {
    let v = js(app, "return [document.documentElement.scrollWidth, window.innerWidth];", "").await?;
    let (scroll, inner) = (v[0].as_u64().unwrap_or(u64::MAX), v[1].as_u64().unwrap_or(0));
    ensure!(scroll <= inner, "{screen}: the page scrolls sideways (scrollWidth {scroll} px, window {inner} px)");
    Ok(())
}

/// The element is wholly inside the window's width (reachable without scrolling sideways).
async fn in_reach(app: &App, css: &str) -> TestResult {
    let script = "const e = document.querySelector(arguments[0]); if (!e) return null;
        const r = e.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;";
    let v = js(app, script, css).await?;
    ensure!(v == Value::Bool(true), "{css} is not within the window's width ({v})");
    Ok(())
}

#[tokio::test]
async fn a_managed_entry_installs_with_the_organizations_app_and_asks_for_no_own_app() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    let text = format!(
        r#"{{ "version": 1, "connectors": {{ "azure-devops": {{ "auth_type": "legacy", "client_id": "{APP_ID}",
            "scopes": "vso.work_full vso.project", "service_domain": "app-h.cyclr.com" }} }} }}"#
    );
    crate::policy::write_policy(&policy, &text);
    let env = vec![("CONNECTOR_CONSOLE_POLICY".to_string(), policy.display().to_string())];
    let app = App::launch("first_minutes_managed_install", Options { env, ..Options::default() }).await;
    let result = async {
        app.wait_text("[data-connector=azure-devops] [data-mode]", "Managed by your organization", WAIT).await?;
        start_install(&app, "contoso", "Website").await?;
        let line = app.wait_text("#shared-app", "Uses your organization\u{2019}s app", WAIT).await?;
        ensure!(line.contains(APP_ID), "the organization's app is named by its Client ID: {line:?}");
        for own in ["#own-app-note", "#field-client_id", "#field-tenant_id", "#field-client_secret", "#field-scopes-search"] {
            ensure!(!is_present(&app, own).await?, "a managed entry must not ask for the user's own app, but {own} is shown");
        }
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_screen_scrolls_sideways_at_800_by_600_also_with_a_row_needing_reauth() {
    let mut world = World::demo();
    world.lifetimes.access_token = Duration::from_secs(6);
    let fake = FakeMicrosoft::start(world).await.unwrap();
    let app = launch("first_minutes_no_sideways_scroll", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Fabrikam Fiber").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;
        // The refresh is refused: the row needs re-auth and carries a reason.
        fake.with(|w| w.revoke_all_refresh_tokens());
        app.wait_for(&format!("{ROW} [data-status='needs_reauth']"), Duration::from_secs(25)).await?;

        let reauth = format!("{ROW} [data-action=reauth]");
        let class = app.attr(&reauth, "class").await?.unwrap_or_default();
        ensure!(class.split_whitespace().any(|c| c == "primary"), "Re-authenticate is not the row's primary button (class {class:?})");
        let summary = app.text(&format!("{ROW} [data-cell=status] details summary")).await?;
        ensure!(summary == "Details", "the status has no Details disclosure: {summary:?}");
        let full = text_content(&app, &format!("{ROW} [data-cell=status] details p")).await?;
        ensure!(full.contains("Sign in again") || full.contains("refresh token"), "Details holds the whole reason: {full:?}");
        let one_line = "const e = document.querySelector(arguments[0]);
            return e.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(e).lineHeight);";
        let v = js(&app, one_line, &format!("{ROW} .status-detail")).await?;
        ensure!(v == Value::Bool(true), "the status reason is more than one line");

        // The default window (1100 px) and a row needing re-auth: the table fits.
        resize(&app, 1100, 780).await?;
        fits(&app, "Installations at 1100 px").await?;
        in_reach(&app, &reauth).await?;
        in_reach(&app, &format!("{ROW} [data-action=more]")).await?;

        resize(&app, 800, 600).await?;
        fits(&app, "Installations at 800 px").await?;
        in_reach(&app, &reauth).await?;
        in_reach(&app, &format!("{ROW} [data-action=more]")).await?;
        app.save_screenshot("installations-800x600.png").await?;

        app.click(&format!("{ROW} [data-action=methods]")).await?;
        app.wait_for("#run-create_work_item", WAIT).await?;
        fits(&app, "Methods panel").await?;
        app.click("#methods-back").await?;

        // Re-authenticate opens at Sign in: the check has run, with the details in one line.
        app.click(&reauth).await?;
        app.wait_for("#sign-in", WAIT).await?;
        fits(&app, "Re-authenticate at Sign in").await?;
        app.click("#install-back").await?;

        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization", WAIT).await?;
        fits(&app, "Install form").await?;
        app.click("#install-back").await?;

        app.click("#tab-library").await?;
        app.wait_for("[data-connector]", WAIT).await?;
        fits(&app, "Connector Library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-service_domain", WAIT).await?;
        fits(&app, "library entry form").await?;
        app.click("#auth-entra").await?;
        app.wait_for("#field-tenant_id", WAIT).await?;
        fits(&app, "library entry form (Entra)").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sign_in_is_a_neutral_status_not_an_error() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("first_minutes_cancelled_sign_in", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        app.click("#sign-in-cancel").await?;
        let text = app.wait_text("#install-notice", "cancelled", WAIT).await?;
        ensure!(text == "Sign-in cancelled. Nothing was changed.", "notice: {text:?}");
        let role = app.attr("#install-notice", "role").await?;
        ensure!(role.as_deref() == Some("status"), "the notice is a status, not an alert: role {role:?}");
        ensure!(!app.is_visible("#install-error").await?, "a cancelled sign-in must not show the red error");
        let alerts = js(
            &app,
            "return [...document.querySelectorAll('[role=alert]')].filter((e) => e.offsetParent && e.textContent.includes(arguments[0])).length;",
            "cancelled",
        )
        .await?;
        ensure!(alerts.as_u64() == Some(0), "an alert says the sign-in was cancelled");
        ensure!(app.client.windows().await.map_err(|e| e.to_string())?.len() == 1, "the sign-in window is still open");
        ensure!(!keychain_dump().contains("installation/"), "a cancelled sign-in stored tokens");
        // Sign In is where the keyboard is, to try again.
        ensure!(app.focused().await? == "button#sign-in", "focus after cancel: {}", app.focused().await?);
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_entra_sign_in_choice_reads_without_in_in() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("first_minutes_no_in_in", &fake).await;
    let result = async {
        own_entra_app_at_check(&app, &fake).await?;
        app.wait_for("#entra-embedded", WAIT).await?;
        let preflight = app.text("#preflight").await?;
        ensure!(!preflight.to_lowercase().contains("sign in in"), "the pre-flight says \"sign in in\": {preflight:?}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn the_callback_url_waits_for_the_service_domain() {
    let app = App::launch("first_minutes_callback_preview", Options::default()).await;
    let result = async {
        app.click("#edit-azure-devops").await?;
        app.wait_for("#auth-legacy", WAIT).await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain", WAIT).await?;
        let empty = app.text("#redirect-uri").await?;
        ensure!(empty == "Enter the service domain to see the callback URL.", "with no domain: {empty:?}");
        ensure!(!is_present(&app, "#copy-redirect").await?, "a Copy button is offered with no domain");
        app.fill("#field-service_domain", "app-h.cyclr.com").await?;
        app.wait_text("#redirect-uri", "https://app-h.cyclr.com/connector/callback", WAIT).await?;
        ensure!(is_present(&app, "#copy-redirect").await?, "no Copy button once the domain is entered");
        // Emptied again, as a user would: select all, delete.
        app.click("#field-service_domain").await?;
        app.keys("\u{E009}a\u{E000}\u{E003}").await?; // Ctrl+A, release, Backspace
        app.wait_text("#redirect-uri", "Enter the service domain", WAIT).await?;
        ensure!(!is_present(&app, "#copy-redirect").await?, "the Copy button stayed after the domain was removed");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn a_field_error_goes_when_that_field_is_fixed() {
    let app = App::launch("first_minutes_field_errors_clear", Options::default()).await;
    let result = async {
        app.click("#edit-azure-devops").await?;
        app.wait_for("#auth-legacy", WAIT).await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain", WAIT).await?;
        app.fill("#field-client_id", "my app").await?;
        app.click("#save-entry").await?;
        app.wait_text("#field-scopes-error", "at least one", WAIT).await?;
        app.wait_text("#field-client_id-error", "GUID", WAIT).await?;
        // Searching the scopes is not choosing one: the error stays.
        app.fill("#field-scopes-search", "work items (full)").await?;
        ensure!(text_content(&app, "#field-scopes-error").await?.contains("at least one"), "searching cleared the scope error");
        // Choosing one clears the scope error, and only that one.
        app.click("input[data-scope='vso.work_full']").await?;
        app.wait_text("#field-scopes-value", "vso.work_full", WAIT).await?;
        let scopes = text_content(&app, "#field-scopes-error").await?;
        ensure!(scopes.is_empty(), "the scope error stayed under a chosen scope: {scopes:?}");
        ensure!(app.attr("#field-scopes", "aria-invalid").await?.is_none(), "the scope picker is still marked invalid");
        ensure!(text_content(&app, "#field-client_id-error").await?.contains("GUID"), "an unrelated field's error was cleared");
        ensure!(app.attr("#field-client_id", "aria-invalid").await?.as_deref() == Some("true"), "client id lost its mark early");
        // Editing the Client ID clears its error.
        app.fill("#field-client_id", APP_ID).await?;
        let client = text_content(&app, "#field-client_id-error").await?;
        ensure!(client.is_empty(), "the Client ID error stayed while typing: {client:?}");
        ensure!(app.attr("#field-client_id", "aria-invalid").await?.is_none(), "the Client ID is still marked invalid");
        let domain = app.attr("#field-service_domain", "aria-invalid").await?;
        ensure!(domain.as_deref() == Some("true"), "the untouched service domain lost its error mark");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn without_a_keychain_install_is_disabled_and_says_why() {
    let opts = Options {
        env: vec![("DBUS_SESSION_BUS_ADDRESS".into(), "unix:path=/nonexistent/connector-console-test-bus".into())],
        ..Options::default()
    };
    let app = App::launch("first_minutes_keychain_gate", opts).await;
    let result = async {
        app.wait_text("#keychain-status", "Keychain: unavailable", WAIT).await?;
        let banner = app.wait_text("#banner", "Secrets can\u{2019}t be stored", WAIT).await?;
        ensure!(!banner.contains('`'), "the banner shows Markdown backticks: {banner:?}");
        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops", WAIT).await?;
        ensure!(app.attr("#install-azure-devops", "disabled").await?.is_some(), "Install is enabled without a keychain");
        let described = app.attr("#install-azure-devops", "aria-describedby").await?.unwrap_or_default();
        let reason = text_content(&app, &format!("#{}", described.split_whitespace().last().unwrap_or("missing"))).await?;
        ensure!(reason.contains("disabled"), "Install's description does not say why: {described:?} -> {reason:?}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn escape_is_back_and_a_tab_switch_asks_before_discarding_a_form() {
    let app = App::launch("first_minutes_escape_and_tabs", Options::default()).await;
    let result = async {
        // Escape in the Install form is Back.
        start_install(&app, "contoso", "Website").await?;
        app.keys("\u{E00C}").await?;
        app.wait_for("#install-azure-devops", WAIT).await?;
        ensure!(!is_present(&app, "#install-form").await?, "Escape did not leave the Install form");
        // A half-filled library entry: switching tabs asks, and staying keeps the typing.
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-client_id", WAIT).await?;
        app.fill("#field-client_id", APP_ID).await?;
        app.click("#tab-installations").await?;
        app.wait_for("#confirm-dialog[open]", WAIT).await?;
        ensure!(!app.is_visible("#view-installations").await?, "the tab switched before the user answered");
        app.click("#confirm-no").await?;
        ensure!(app.is_visible("#entry-form").await?, "staying must keep the form");
        ensure!(app.value("#field-client_id").await? == APP_ID, "staying must keep what was typed");
        app.click("#tab-installations").await?;
        app.wait_for("#confirm-dialog[open]", WAIT).await?;
        app.click("#confirm-yes").await?;
        wait_visible(&app, "#view-installations").await?;
        // An untouched form is left without asking.
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-client_id", WAIT).await?;
        app.click("#tab-installations").await?;
        wait_visible(&app, "#view-installations").await?;
        ensure!(!is_present(&app, "#confirm-dialog").await?, "an untouched form asked before leaving");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// Clear says which installations depend on the shared app; afterwards they read Needs re-auth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clear_names_the_installations_it_stops_and_they_show_it() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("first_minutes_clear", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]", WAIT).await?;
        let said = text_content(&app, "#confirm-dialog").await?;
        ensure!(said.contains("1 installation signed in with this app"), "dialog: {said}");
        app.click("#confirm-yes").await?;
        app.wait_text("#library-status", "Bring your own app", WAIT).await?;
        app.click("#tab-installations").await?;
        app.wait_for("tr[data-installation] [data-status='needs_reauth']", WAIT).await?;
        let reason = text_content(&app, "tr[data-installation] .status-detail").await?;
        ensure!(reason.contains("removed from the Connector Library"), "reason: {reason}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
