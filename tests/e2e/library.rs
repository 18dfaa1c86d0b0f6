//! The Connector Library screen, in the real window, with the real keychain.

use crate::ensure;
use crate::harness::{files_containing, keychain_dump, App, Context, Options};

const MODE: &str = "[data-connector='azure-devops'] [data-mode]";
const APP_ID: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";
const SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e2e-library-secret-7f3a";

/// An element's outline is not drawn (else the script returns the outline it has).
const NO_RING: &str = "const o = getComputedStyle(document.querySelector(arguments[0])).outlineStyle; return o === 'none' || o;";

/// The sticky form bar starts where the sticky header ends, or above (never a gap between).
const BAR_UNDER_HEADER: &str = "const h = document.querySelector('.app-header').getBoundingClientRect().bottom;
    const f = document.querySelector('.form-bar').getBoundingClientRect().top; return f <= h || [h, f];";

/// Side by side buttons keep a gap of 4 px or more (else the script returns the pairs that touch).
const BUTTON_GAPS: &str = "const r = [...document.querySelectorAll(arguments[0])].map((b) => b.getBoundingClientRect());
    const touching = r.slice(1).map((b, i) => [r[i], b]).filter(([a, b]) => Math.abs(a.top - b.top) < 1 && b.left - a.right < 4);
    return (r.length > 1 && touching.length === 0) || JSON.stringify(touching);";

/// Opens the Azure DevOps entry form and fills a legacy entry.
async fn fill_legacy_entry(app: &App) -> Result<(), String> {
    app.click("#edit-azure-devops").await?;
    app.wait_for("#auth-legacy").await?;
    app.click("#auth-legacy").await?;
    app.wait_for("#field-service_domain").await?;
    app.fill("#field-client_id", APP_ID).await?;
    app.fill("#field-client_secret", SECRET).await?;
    app.fill("#field-scopes-search", "work items (full)").await?;
    app.click("input[data-scope='vso.work_full']").await?;
    app.fill("#field-scopes-search", "vso.project").await?;
    app.click("input[data-scope='vso.project']").await?;
    app.fill("#field-service_domain", "app-h.cyclr.com").await?;
    Ok(())
}

#[tokio::test]
async fn admin_saves_an_entry_that_survives_a_restart_with_the_secret_only_in_the_keychain() {
    let app = App::launch("library_save_and_restart", Options::default()).await;
    let result = async {
        // A click on a card's text lands the focus on the view (its tabindex -1), drawing no ring.
        app.click("[data-connector='azure-devops'] > p.muted").await?;
        app.wait_focus("#view-library").await?;
        app.wait_js("no focus ring around the view", NO_RING, &["#view-library"]).await?;
        fill_legacy_entry(&app).await?;
        let callback = app.wait_text("#redirect-uri", "https://app-h.cyclr.com/connector/callback").await?;
        ensure!(callback == "https://app-h.cyclr.com/connector/callback", "callback shown as {callback:?}");
        app.wait_text("#field-scopes-value", "vso.project vso.work_full").await?;
        app.save_screenshot("library-entry-form.png").await?;
        // Scrolled, the form's bar meets the header: no strip of the text scrolling under them.
        app.scroll_to_bottom().await?;
        app.wait_js("the form bar right under the header", BAR_UNDER_HEADER, &[]).await?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved").await?;
        app.wait_attr(MODE, "data-mode", Some("shared")).await.context("mode after save")?;
        app.wait_js("a gap between the card's buttons", BUTTON_GAPS, &["[data-connector='azure-devops'] .actions > button"]).await?;
        let stored = keychain_dump();
        ensure!(
            stored.contains("library/azure-devops/client-secret") && stored.contains(SECRET),
            "secret-tool does not show the secret:\n{stored}"
        );
        Ok(())
    }
    .await;
    let data_dir = app.data_dir.clone();
    if result.is_err() {
        return app.finish(result).await;
    }
    let stopped = app.quit().await;
    let leaks = files_containing(&data_dir, SECRET);
    assert!(leaks.is_empty(), "the secret leaked into {leaks:?}");
    assert!(data_dir.join("settings.json").exists());

    let app = App::restart("library_after_restart", Options::default(), stopped).await;
    let result = async {
        // Set up already: the window opens where an end user goes next.
        app.wait_for("#tab-installations[aria-selected='true']").await?;
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_value("#field-client_id", APP_ID).await.context("client id not restored")?;
        app.wait_value("#field-service_domain", "app-h.cyclr.com").await.context("domain not restored")?;
        app.wait_value("#field-client_secret", "").await.context("the secret must never be sent back to the page")?;
        app.wait_attr("#field-client_secret", "type", Some("password")).await.context("secret field not masked")?;
        app.wait_text("#field-client_secret-stored", "stored in the OS keychain").await?;
        app.wait_text("#field-scopes-value", "vso.project vso.work_full").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn invalid_input_shows_field_errors_and_saves_nothing() {
    let app = App::launch("library_invalid_input", Options::default()).await;
    let result = async {
        app.click("#edit-azure-devops").await?;
        app.wait_for("#auth-legacy").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.fill("#field-client_id", "my app").await?;
        app.fill("#field-service_domain", "http://app-h.cyclr.com").await?;
        app.click("#save-entry").await?;
        app.wait_text("#field-client_id-error", "GUID").await?;
        app.wait_text("#field-client_secret-error", "required").await?;
        app.wait_text("#field-scopes-error", "at least one").await?;
        app.wait_text("#field-service_domain-error", "HTTPS").await?;
        app.wait_attr("#field-client_id", "aria-invalid", Some("true")).await.context("bad field not marked invalid")?;
        ensure!(!app.data_dir.join("settings.json").exists(), "settings were written despite errors");
        ensure!(!keychain_dump().contains("library/azure-devops"), "a secret was stored despite errors");
        app.save_screenshot("library-field-errors.png").await?;
        // Only the scopes wrong, saved from a valid field (Ctrl+Enter): the keyboard goes to the
        // scope picker's first control, not left on the field that was fine.
        app.fill("#field-client_id", APP_ID).await?;
        app.fill("#field-client_secret", SECRET).await?;
        app.fill("#field-service_domain", "app-h.cyclr.com").await?;
        app.click("#field-client_id").await?;
        app.keys("\u{E009}\u{E007}\u{E000}").await?; // Ctrl+Enter, release
        app.wait_text("#field-scopes-error", "at least one").await?;
        app.wait_content_empty("#field-client_id-error").await.context("the Client ID still has an error")?;
        app.wait_focus("#field-scopes-search").await.context("focus after a scopes-only Save error")
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn clear_asks_first_then_returns_to_bring_your_own_app() {
    let app = App::launch("library_clear", Options::default()).await;
    let result = async {
        fill_legacy_entry(&app).await?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved").await?;
        ensure!(keychain_dump().contains(SECRET), "secret not stored");
        app.click("#edit-azure-devops").await?;
        app.wait_for("#clear-entry").await?;
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.click("#confirm-no").await?;
        app.wait_gone("#confirm-dialog[open]").await?;
        app.wait_visible("#entry-form").await.context("cancelling the dialog must keep the form")?;
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#library-status", "Bring your own app").await?;
        app.wait_attr(MODE, "data-mode", Some("bring_your_own")).await.context("mode after clear")?;
        ensure!(!keychain_dump().contains(SECRET), "secret still in the keychain after Clear");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn scope_picker_works_by_keyboard() {
    let app = App::launch("scope_picker_keyboard", Options::default()).await;
    let result = async {
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-search").await?;
        app.click("#field-scopes-search").await?;
        app.keys("Work items (full)").await?;
        app.keys("\u{E004}").await?; // Tab: to the first matching scope
        app.wait_focus("input[id='field-scopes-vso.work_full']").await.context("Tab to the first matching scope")?;
        app.keys(" ").await?; // Space ticks it
        let value = app.wait_text("#field-scopes-value", "vso.work_full").await?;
        ensure!(value == "vso.work_full", "value is {value:?}");
        app.wait_text("#field-scopes-included", "Work items (read)").await?;
        // The paste box takes registration-page names too, and reports unknown ones inline.
        app.fill("#field-scopes-paste", "Code (read), vso.wrok").await?;
        app.click("#field-scopes-paste-apply").await?;
        // A sentence, with its full stop, before what to do.
        app.wait_text("#field-scopes-paste-error", "\"vso.wrok\" is not an Azure DevOps scope.").await?;
        app.fill("#field-scopes-paste", "Code (read); vso.work_full").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#field-scopes-value", "vso.code vso.work_full").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn export_to_a_file_without_the_secret_and_import_it_back() {
    let app = App::launch("library_export_import", Options::default()).await;
    let result = async {
        fill_legacy_entry(&app).await?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved").await?;
        // Export and Import are one dialog: the entry as text, and the way in.
        app.click("#transfer-azure-devops").await?;
        app.wait_for("#transfer-dialog[open] #export-text").await?;
        app.wait_for("#transfer-dialog[open] #import-file").await?;
        let exported = "return document.getElementById('export-text').value.includes(arguments[0]) || 'not yet';";
        app.wait_js("the exported text in the dialog", exported, &[APP_ID]).await?;
        crate::a11y::axe(&app, "Export or import dialog").await?;
        crate::a11y::control_contrast(&app, "Export or import dialog").await?;
        // Escape closes it, and the keyboard is back on the card's button.
        app.keys("\u{E00C}").await?;
        app.wait_gone("#transfer-dialog").await?;
        app.wait_focus("#transfer-azure-devops").await?;
        app.click("#transfer-azure-devops").await?;
        app.click("#export-save").await?;
        let saved = app.wait_text("#export-result", "Saved to ").await?;
        let path = std::path::PathBuf::from(saved.trim().trim_start_matches("Saved to ").trim());
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = std::fs::remove_file(&path);
        ensure!(text.contains(APP_ID) && !text.contains(SECRET), "exported file: {text}");
        app.click("#transfer-close").await?;
        app.wait_gone("#transfer-dialog").await?;
        // On "another machine": start from Bring your own app, import the file.
        app.click("#edit-azure-devops").await?;
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#library-status", "Bring your own app").await?;
        let back = app.data_dir.join("to-import.json");
        std::fs::write(&back, &text).map_err(|e| e.to_string())?;
        app.click("#transfer-azure-devops").await?;
        app.wait_for("#transfer-dialog[open] #import-file").await?;
        app.wait_gone("#transfer-dialog #export-text").await.context("a blank entry has nothing to export")?;
        app.upload("#import-file", &back).await?;
        app.wait_text("#form-notice", "Enter the Client Secret").await?;
        app.wait_gone("#transfer-dialog").await?;
        app.wait_value("#field-client_id", APP_ID).await.context("client id not imported")?;
        app.wait_value("#field-service_domain", "app-h.cyclr.com").await.context("domain not imported")?;
        app.wait_value("#field-client_secret", "").await.context("no secret travels with an export")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn a_revealed_secret_is_still_only_in_the_keychain() {
    let app = App::launch("library_revealed_secret", Options::default()).await;
    let result = async {
        fill_legacy_entry(&app).await?;
        // Show turns the input into type=text; it must still be picked out as the secret.
        app.click("#reveal-client_secret").await?;
        app.wait_attr("#field-client_secret", "type", Some("text")).await.context("revealed")?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved").await?;
        ensure!(keychain_dump().contains(SECRET), "the secret is in the keychain");
        let leaks = files_containing(&app.data_dir, SECRET);
        ensure!(leaks.is_empty(), "the revealed secret reached files: {leaks:?}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
