//! "The first ten minutes", in the real window: a managed library entry installs
//! with the organization's app, the Installations list fits an 800 x 600 window,
//! a cancelled sign-in is not an error, the callback URL waits for its domain,
//! field errors go as the field is fixed, Install waits for the keychain, and
//! Escape and tab switches don't lose a half-filled form.

use std::time::Duration;

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::entra::own_entra_app_at_check;
use crate::harness::{keychain_dump, App, Context, Options, TestResult, SLOW_WAIT};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

const ROW: &str = "tr[data-installation]";
const APP_ID: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";

/// The page is no wider than the window: no sideways scrolling (waited for, as layout follows a resize).
pub async fn fits(app: &App, screen: &str) -> TestResult {
    let script = "const s = document.documentElement.scrollWidth, w = window.innerWidth;
        return s <= w || `scrollWidth ${s} px, window ${w} px`;";
    app.wait_js("no sideways scrolling", script, &[]).await.context(&format!("{screen}: the page scrolls sideways"))
}

/// The element is wholly inside the window's width (reachable without scrolling sideways).
async fn in_reach(app: &App, css: &str) -> TestResult {
    let script = "const e = document.querySelector(arguments[0]); if (!e) return null;
        const r = e.getBoundingClientRect(); return (r.width > 0 && r.left >= 0 && r.right <= window.innerWidth) || [r.left, r.right];";
    app.wait_js(&format!("{css} within the window's width"), script, &[css]).await
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
        app.wait_text("[data-connector=azure-devops] [data-mode]", "Managed by your organization").await?;
        start_install(&app, "contoso", "Website").await?;
        let line = app.wait_text("#shared-app", "Uses your organization\u{2019}s app").await?;
        ensure!(line.contains(APP_ID), "the organization's app is named by its Client ID: {line:?}");
        for own in ["#own-app-note", "#field-client_id", "#field-tenant_id", "#field-client_secret", "#field-scopes-search"] {
            app.wait_gone(own).await.context("a managed entry must not ask for the user's own app")?;
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
        app.wait_text("#install-connected", "Connected to ").await?;
        // The refresh is refused: the row needs re-auth and carries a reason.
        fake.with(|w| w.revoke_all_refresh_tokens());
        app.wait_for_within(&format!("{ROW} [data-status='needs_reauth']"), SLOW_WAIT).await?;

        let reauth = format!("{ROW} [data-action=reauth]");
        app.wait_attr_where(&reauth, "class", "with primary", |c| c.is_some_and(|c| c.split_whitespace().any(|c| c == "primary")))
            .await
            .context("Re-authenticate is not the row's primary button")?;
        app.wait_text_is(&format!("{ROW} [data-cell=status] details summary"), "Details")
            .await
            .context("the status has no Details disclosure")?;
        app.wait_content_where(&format!("{ROW} [data-cell=status] details p"), "the whole reason", |t| {
            t.contains("Sign in again") || t.contains("refresh token")
        })
        .await
        .context("Details holds the whole reason")?;
        let one_line = "const e = document.querySelector(arguments[0]); const h = e.getBoundingClientRect().height;
            return h < 1.5 * parseFloat(getComputedStyle(e).lineHeight) || `${h} px high`;";
        app.wait_js("the status reason in one line", one_line, &[&format!("{ROW} .status-detail")]).await?;

        // The default window (1100 px) and a row needing re-auth: the table fits.
        app.resize(1100, 780).await?;
        fits(&app, "Installations at 1100 px").await?;
        in_reach(&app, &reauth).await?;
        in_reach(&app, &format!("{ROW} [data-action=more]")).await?;

        app.resize(800, 600).await?;
        fits(&app, "Installations at 800 px").await?;
        in_reach(&app, &reauth).await?;
        in_reach(&app, &format!("{ROW} [data-action=more]")).await?;
        app.save_screenshot("installations-800x600.png").await?;

        app.click(&format!("{ROW} [data-action=methods]")).await?;
        app.wait_for("#run-create_work_item").await?;
        fits(&app, "Methods panel").await?;
        app.click("#methods-back").await?;

        // Re-authenticate opens at Sign in: the check has run, with the details in one line.
        app.click(&reauth).await?;
        app.wait_for("#sign-in").await?;
        fits(&app, "Re-authenticate at Sign in").await?;
        app.click("#install-cancel").await?;

        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization").await?;
        fits(&app, "Install form").await?;
        app.click("#install-cancel").await?;

        app.click("#tab-library").await?;
        app.wait_for("[data-connector]").await?;
        fits(&app, "Connector Library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-service_domain").await?;
        fits(&app, "library entry form").await?;
        app.click("#auth-entra").await?;
        app.wait_for("#field-tenant_id").await?;
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
        let text = app.wait_text("#install-notice", "cancelled").await?;
        ensure!(text == "Sign-in cancelled. Nothing was changed.", "notice: {text:?}");
        app.wait_attr("#install-notice", "role", Some("status")).await.context("the notice is a status, not an alert")?;
        app.wait_hidden("#install-error").await.context("a cancelled sign-in must not show the red error")?;
        let alerts = "const n = [...document.querySelectorAll('[role=alert]')]
            .filter((e) => e.offsetParent && e.textContent.includes(arguments[0])).length; return n === 0 || `${n} alerts`;";
        app.wait_js("no alert saying cancelled", alerts, &["cancelled"]).await.context("an alert says the sign-in was cancelled")?;
        app.wait_windows(1).await.context("the sign-in window is still open")?;
        ensure!(!keychain_dump().contains("installation/"), "a cancelled sign-in stored tokens");
        // Sign In is where the keyboard is, to try again.
        app.wait_focus("button#sign-in").await.context("focus after cancel")?;
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
        app.wait_for("#entra-embedded").await?;
        // The whole pre-flight, down to its last line (where Sign In opens), before reading it.
        let preflight = app.wait_text("#preflight", "Opens Microsoft").await?;
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
        app.wait_for("#auth-legacy").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.wait_text_is("#redirect-uri", "Enter the service domain to see the callback URL.").await.context("with no domain")?;
        app.wait_gone("#copy-redirect").await.context("a Copy button is offered with no domain")?;
        app.fill("#field-service_domain", "app-h.cyclr.com").await?;
        app.wait_text("#redirect-uri", "https://app-h.cyclr.com/connector/callback").await?;
        app.wait_for("#copy-redirect").await.context("no Copy button once the domain is entered")?;
        // Emptied again, as a user would: select all, delete.
        app.click("#field-service_domain").await?;
        app.keys("\u{E009}a\u{E000}\u{E003}").await?; // Ctrl+A, release, Backspace
        app.wait_text("#redirect-uri", "Enter the service domain").await?;
        app.wait_gone("#copy-redirect").await.context("the Copy button stayed after the domain was removed")?;
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
        app.wait_for("#auth-legacy").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.fill("#field-client_id", "my app").await?;
        app.click("#save-entry").await?;
        app.wait_text("#field-scopes-error", "at least one").await?;
        app.wait_text("#field-client_id-error", "GUID").await?;
        // Searching the scopes is not choosing one: the error stays. (The search has run once it shows the match.)
        app.fill("#field-scopes-search", "work items (full)").await?;
        app.wait_visible("input[data-scope='vso.work_full']").await?;
        app.wait_content("#field-scopes-error", "at least one").await.context("searching cleared the scope error")?;
        // Choosing one clears the scope error, and only that one.
        app.click("input[data-scope='vso.work_full']").await?;
        app.wait_text("#field-scopes-value", "vso.work_full").await?;
        app.wait_content_empty("#field-scopes-error").await.context("the scope error stayed under a chosen scope")?;
        app.wait_attr("#field-scopes", "aria-invalid", None).await.context("the scope picker is still marked invalid")?;
        app.wait_content("#field-client_id-error", "GUID").await.context("an unrelated field's error was cleared")?;
        app.wait_attr("#field-client_id", "aria-invalid", Some("true")).await.context("client id lost its mark early")?;
        // Editing the Client ID clears its error.
        app.fill("#field-client_id", APP_ID).await?;
        app.wait_content_empty("#field-client_id-error").await.context("the Client ID error stayed while typing")?;
        app.wait_attr("#field-client_id", "aria-invalid", None).await.context("the Client ID is still marked invalid")?;
        app.wait_attr("#field-service_domain", "aria-invalid", Some("true"))
            .await
            .context("the untouched service domain lost its error mark")?;
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
        app.wait_text("#keychain-status", "Keychain: unavailable").await?;
        let banner = app.wait_text("#banner", "Secrets can\u{2019}t be stored").await?;
        ensure!(!banner.contains('`'), "the banner shows Markdown backticks: {banner:?}");
        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops[disabled]").await.context("Install is enabled without a keychain")?;
        let described = app
            .wait_attr_where("#install-azure-devops", "aria-describedby", "naming a description", |v| {
                v.is_some_and(|v| !v.trim().is_empty())
            })
            .await?
            .unwrap_or_default();
        let reason = format!("#{}", described.split_whitespace().last().unwrap_or("missing"));
        app.wait_content(&reason, "disabled").await.context(&format!("Install's description ({described:?}) does not say why"))?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn escape_leaves_the_details_and_a_tab_switch_asks_before_discarding_a_form() {
    let app = App::launch("first_minutes_escape_and_tabs", Options::default()).await;
    let result = async {
        // Escape on Install's first step is Cancel install (no step before it), which asks
        // first about what was typed (drafts.rs); on a later step it is Back (install_steps.rs).
        start_install(&app, "contoso", "Website").await?;
        app.keys("\u{E00C}").await?;
        app.wait_for("#confirm-dialog[open]").await.context("Escape on a filled Install did not ask")?;
        app.click("#confirm-yes").await?;
        app.wait_for("#install-azure-devops").await?;
        app.wait_gone("#install-form").await.context("Escape did not leave the Install form")?;
        // A half-filled library entry: switching tabs asks, and staying keeps the typing.
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-client_id").await?;
        app.fill("#field-client_id", APP_ID).await?;
        app.click("#tab-installations").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.wait_hidden("#view-installations").await.context("the tab switched before the user answered")?;
        app.click("#confirm-no").await?;
        app.wait_gone("#confirm-dialog[open]").await?;
        app.wait_visible("#entry-form").await.context("staying must keep the form")?;
        app.wait_value("#field-client_id", APP_ID).await.context("staying must keep what was typed")?;
        app.click("#tab-installations").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.click("#confirm-yes").await?;
        app.wait_visible("#view-installations").await?;
        // An untouched form is left without asking.
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-client_id").await?;
        app.click("#tab-installations").await?;
        app.wait_visible("#view-installations").await?;
        app.wait_gone("#confirm-dialog").await.context("an untouched form asked before leaving")?;
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
        app.wait_text("#install-connected", "Connected to ").await?;
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.wait_content("#confirm-dialog", "1 installation signed in with this app").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#library-status", "Bring your own app").await?;
        app.click("#tab-installations").await?;
        app.wait_for("tr[data-installation] [data-status='needs_reauth']").await?;
        app.wait_content("tr[data-installation] .status-detail", "removed from the Connector Library").await?;
        // The app it used is gone from the Library: the row says so and offers no move of it.
        app.wait_text("tr[data-installation]", "Shared app, cleared from the Library").await?;
        app.wait_gone("tr[data-installation] [data-action=migrate]").await.context("the move of a cleared app is offered")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}
