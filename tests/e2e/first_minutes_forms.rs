//! The first ten minutes in the forms: Install one step at a time, "Did you mean" as a
//! button, the missing-scope warning grouped by the scope that is missing, and an
//! import that names another app asking for that app's secret, and a long form's title
//! bar (Back and the primary action) staying in reach as it scrolls; and a new user's way
//! from first launch to Connected on a shared entry.

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{keychain_dump, App, Context, Options, TestResult};
use crate::sign_in::{demo, in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

/// Waits until the Install view shows `n` primary buttons (on screen, not hidden).
async fn primaries(app: &App, n: usize, step: &str) -> TestResult {
    let script = "const n = [...document.querySelectorAll('#view-installations button.primary')].filter((b) => b.offsetParent).length;
        return n === Number(arguments[0]) || `${n} primary buttons`;";
    app.wait_js(&format!("{n} primary buttons"), script, &[&n.to_string()]).await.context(step)
}

/// Waits until the stepper marks `step` as the current one.
async fn current_step(app: &App, step: &str) -> TestResult {
    app.wait_attr(".stepper [aria-current=step]", "data-step", Some(step)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn install_shows_one_step_at_a_time_with_one_primary_button() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("first_minutes_install_steps", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        current_step(&app, "details").await.context("starts at Details")?;
        app.wait_hidden("#preflight").await.context("the check is not shown before Next")?;
        primaries(&app, 1, "Details has one primary button").await?;
        // Check: the details become one line, with Sign In the one primary button.
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        current_step(&app, "check").await.context("Next moves to Check")?;
        app.wait_hidden("#install-form").await.context("the details form is still shown at Check")?;
        let summary = app.wait_text("#install-summary", "contoso / Website").await?;
        ensure!(summary.contains("Edit details"), "summary: {summary:?}");
        primaries(&app, 1, "Check has one primary button").await?;
        // Escape steps back to the details, with what was entered.
        app.keys("\u{E00C}").await?;
        app.wait_for("#install-form:not([hidden])").await?;
        app.wait_value("#field-project", "Website").await.context("the project was kept")?;
        app.wait_focus("input#field-organization").await.context("focus after Escape")?;
        app.fill("#field-project", "Fabrikam Fiber").await?;
        // Sign in: the wait, with the details locked.
        next_and_sign_in(&app, false).await?;
        current_step(&app, "sign-in").await.context("Sign In moves to Sign in")?;
        app.wait_hidden("#sign-in").await.context("the check is still shown while waiting")?;
        app.wait_for("#install-edit[disabled]").await.context("Edit details is open while Microsoft's window is")?;
        app.wait_text("#install-summary", "contoso / Fabrikam Fiber").await.context("the summary follows the edit")?;
        app.click("#sign-in-cancel").await?;
        app.wait_text("#install-notice", "cancelled").await?;
        current_step(&app, "check").await.context("a cancel goes back to Check")?;
        app.wait_visible("#sign-in").await.context("Sign In is offered again")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn did_you_mean_is_a_button_that_puts_the_scope_in_place() {
    let app = App::launch("first_minutes_did_you_mean", Options::default()).await;
    let result = async {
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-paste").await?;
        app.fill("#field-scopes-paste", "vso.project vso.wrok_full").await?;
        app.click("#field-scopes-paste-apply").await?;
        // One sentence, then the question: the message ends with its full stop.
        app.wait_text("#field-scopes-paste-error", "is not an Azure DevOps scope. Did you mean").await?;
        app.click("#field-scopes-paste-error [data-choice='vso.work_full']").await?;
        app.wait_text("#field-scopes-value", "vso.project vso.work_full").await?;
        app.wait_value("#field-scopes-paste", "vso.project vso.work_full").await.context("the word was replaced in the box")?;
        app.wait_content_empty("#field-scopes-paste-error").await.context("the error stays after the fix")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn the_missing_scope_warning_blames_each_methods_own_scope() {
    let app = App::launch("first_minutes_scope_warning", Options::default()).await;
    let result = async {
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-paste").await?;
        app.fill("#field-scopes-paste", "vso.project").await?;
        app.click("#field-scopes-paste-apply").await?;
        let warning = app.wait_text("#field-scopes-warning", "is not included").await?;
        let (work, rest) = warning.split_once("Needed for most methods").unwrap_or((&warning, ""));
        ensure!(work.contains("Work items (full)") && work.contains("List/query work items"), "warning: {warning}");
        ensure!(!work.contains("Query the audit log"), "the audit log is blamed on Work items (full): {warning}");
        ensure!(warning.contains("Query the audit log also needs Audit Log (read) (vso.auditlog)"), "warning: {warning}");
        ensure!(rest.contains("vso.auditlog"), "warning: {warning}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_another_app_over_an_entry_needs_that_apps_secret() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("first_minutes_import_over", &fake).await;
    let result = async {
        let (client_id, secret, _) = demo(&fake);
        share_demo_app(&app, &fake).await?;
        app.click("#transfer-azure-devops").await?;
        app.click("#export-save").await?;
        let saved = app.wait_text("#export-result", "Saved to ").await?;
        let path = std::path::PathBuf::from(saved.trim().trim_start_matches("Saved to ").trim());
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = std::fs::remove_file(&path);
        // The same entry, but another app: its secret is not the stored one.
        let other = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
        let import = app.data_dir.join("other-app.json");
        std::fs::write(&import, text.replace(&client_id, other)).map_err(|e| e.to_string())?;
        app.click("#transfer-close").await?;
        app.click("#transfer-azure-devops").await?;
        app.upload("#import-file", &import).await?;
        app.wait_text("#form-notice", "Enter the Client Secret").await?;
        app.click("#save-entry").await?;
        let error = app.wait_text("#field-client_secret-error", "Client Secret").await?;
        ensure!(!error.is_empty(), "no field error for the missing secret");
        // Nothing changed: the entry is still the old app, with its own secret.
        let settings = std::fs::read_to_string(app.data_dir.join("settings.json")).map_err(|e| e.to_string())?;
        ensure!(settings.contains(&client_id) && !settings.contains(other), "the import was saved without its secret");
        ensure!(keychain_dump().contains(&secret), "the old app's secret is gone");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_forms_save_and_back_stay_on_screen_while_it_scrolls() {
    let app = App::launch("first_minutes_sticky_bar", Options::default()).await;
    let result = async {
        app.resize(800, 600).await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-paste").await?;
        app.click("#field-scopes-browse").await?;
        // The catalog is open (its toggle says so) before the page is measured.
        app.wait_attr("#field-scopes-browse", "aria-expanded", Some("true")).await?;
        app.scroll_to_bottom().await?;
        app.wait_js("the page scrolled down", "return window.scrollY > 0 || window.scrollY;", &[])
            .await
            .context("the form is not long enough to scroll at 800×600")?;
        // Each button is on screen and is what a click at its centre reaches (nothing covers it).
        let on_top = "const e = document.querySelector(arguments[0]); const r = e.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return (r.top >= 0 && r.bottom <= window.innerHeight && (hit === e || e.contains(hit))) || [r.top, r.bottom, hit && hit.id];";
        for css in ["#save-entry", "#cancel-entry"] {
            app.wait_js(&format!("{css} on screen and uncovered"), on_top, &[css]).await.context("after scrolling down")?;
        }
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// The page is no taller (and no wider) than the window: nothing to scroll to.
async fn no_scrolling(app: &App, step: &str) -> Result<(), String> {
    let sizes = "const d = document.documentElement;
        return (d.scrollHeight <= window.innerHeight && d.scrollWidth <= window.innerWidth)
          || [d.scrollHeight, window.innerHeight, d.scrollWidth, window.innerWidth];";
    app.wait_js("a page that does not scroll", sizes, &[]).await.context(step)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_reaches_connected_with_one_primary_button_per_step_and_no_scrolling() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    // The partner admin set the entry up before; the end user's first launch comes after.
    let admin = launch("first_minutes_journey_admin", &fake).await;
    let shared = share_demo_app(&admin, &fake).await;
    if shared.is_err() {
        return admin.finish(shared).await;
    }
    let stopped = admin.quit().await;
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    let app = App::restart("first_minutes_journey", opts, stopped).await;
    let result = async {
        app.resize(1100, 780).await?;
        // First launch on a set-up Library: Installations, saying which app an install uses.
        app.wait_text("#installations-empty", "shared app").await.context("the empty list doesn't say which app is used")?;
        primaries(&app, 1, "the empty list has one primary button").await?;
        no_scrolling(&app, "Installations, empty").await?;
        app.click("#installations-empty #install-azure-devops").await?;
        app.wait_for("#field-organization").await?;
        app.fill("#field-organization", "contoso").await?;
        app.fill("#field-project", "Website").await?;
        primaries(&app, 1, "Details has one primary button").await?;
        no_scrolling(&app, "Details").await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        primaries(&app, 1, "Check has one primary button").await?;
        no_scrolling(&app, "Check").await?;
        app.click("#sign-in").await?;
        app.wait_text("#sign-in-waiting", "Waiting for sign-in").await?;
        primaries(&app, 0, "the wait has a primary button besides Cancel").await?;
        no_scrolling(&app, "Sign in").await?;
        in_sign_in_window(&app, "#accept").await?;
        let done = app.wait_text("#install-connected", "Connected to contoso / Website as ").await?;
        primaries(&app, 1, "Connected has one primary button").await?;
        no_scrolling(&app, "Connected").await?;
        ensure!(done.contains("Dana"), "Connected doesn't say who signed in: {done:?}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_azure_devops_address_fills_organization_and_project() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("first_minutes_pasted_address", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        app.click("#tab-installations").await?;
        app.click("#install-azure-devops").await?;
        app.fill("#field-organization", "https://dev.azure.com/contoso/Fabrikam%20Fiber/_workitems").await?;
        app.keys("\u{E004}").await?; // Tab: the field is left, as after a paste
        app.wait_value("#field-organization", "contoso").await.context("organization from the new address")?;
        app.wait_value("#field-project", "Fabrikam Fiber").await.context("project from the address")?;
        app.wait_text("#field-organization-help", "From the address: organization contoso, project Fabrikam Fiber.").await?;
        // The legacy address form; a project already typed is kept.
        app.fill("#field-organization", "https://contoso.visualstudio.com/DefaultCollection/Website/_git/web").await?;
        app.keys("\u{E004}").await?;
        app.wait_value("#field-organization", "contoso").await.context("organization from the legacy address")?;
        app.wait_text_is("#field-organization-help", "From the address: organization contoso.").await?;
        app.wait_value("#field-project", "Fabrikam Fiber").await.context("the typed project was replaced")?;
        // What was taken is what installs.
        app.click("#install-next").await?;
        app.wait_text("#install-summary-text", "contoso / Fabrikam Fiber").await.map(drop)
    }
    .await;
    app.finish(result).await;
}
