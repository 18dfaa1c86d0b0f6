//! The Connector Library screen, in the real window, with the real keychain.

use std::time::Duration;

use crate::ensure;
use crate::harness::{files_containing, keychain_dump, App, Options};

const WAIT: Duration = Duration::from_secs(10);
const APP_ID: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";
const SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e2e-library-secret-7f3a";

/// Opens the Azure DevOps entry form and fills a legacy entry.
async fn fill_legacy_entry(app: &App) -> Result<(), String> {
    app.click("#edit-azure-devops").await?;
    app.wait_for("#auth-legacy", WAIT).await?;
    app.click("#auth-legacy").await?;
    app.wait_for("#field-service_domain", WAIT).await?;
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
        fill_legacy_entry(&app).await?;
        let callback = app.wait_text("#redirect-uri", "https://app-h.cyclr.com/connector/callback", WAIT).await?;
        ensure!(callback == "https://app-h.cyclr.com/connector/callback", "callback shown as {callback:?}");
        app.wait_text("#field-scopes-value", "vso.project vso.work_full", WAIT).await?;
        app.save_screenshot("library-entry-form.png").await?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved", WAIT).await?;
        let mode = app.attr("[data-connector='azure-devops'] [data-mode]", "data-mode").await?;
        ensure!(mode.as_deref() == Some("shared"), "mode after save: {mode:?}");
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
        app.wait_for("#tab-installations[aria-selected='true']", WAIT).await?;
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-client_id", WAIT).await?;
        ensure!(app.value("#field-client_id").await? == APP_ID, "client id not restored");
        ensure!(app.value("#field-service_domain").await? == "app-h.cyclr.com", "domain not restored");
        ensure!(app.value("#field-client_secret").await?.is_empty(), "the secret must never be sent back to the page");
        ensure!(app.attr("#field-client_secret", "type").await?.as_deref() == Some("password"), "secret field not masked");
        app.wait_text("#field-client_secret-stored", "stored in the OS keychain", WAIT).await?;
        app.wait_text("#field-scopes-value", "vso.project vso.work_full", WAIT).await?;
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
        app.wait_for("#auth-legacy", WAIT).await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain", WAIT).await?;
        app.fill("#field-client_id", "my app").await?;
        app.fill("#field-service_domain", "http://app-h.cyclr.com").await?;
        app.click("#save-entry").await?;
        app.wait_text("#field-client_id-error", "GUID", WAIT).await?;
        app.wait_text("#field-client_secret-error", "required", WAIT).await?;
        app.wait_text("#field-scopes-error", "at least one", WAIT).await?;
        app.wait_text("#field-service_domain-error", "HTTPS", WAIT).await?;
        ensure!(app.attr("#field-client_id", "aria-invalid").await?.as_deref() == Some("true"), "bad field not marked invalid");
        ensure!(!app.data_dir.join("settings.json").exists(), "settings were written despite errors");
        ensure!(!keychain_dump().contains("library/azure-devops"), "a secret was stored despite errors");
        app.save_screenshot("library-field-errors.png").await
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
        app.wait_text("#library-status", "Saved", WAIT).await?;
        ensure!(keychain_dump().contains(SECRET), "secret not stored");
        app.click("#edit-azure-devops").await?;
        app.wait_for("#clear-entry", WAIT).await?;
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]", WAIT).await?;
        app.click("#confirm-no").await?;
        ensure!(app.is_visible("#entry-form").await?, "cancelling the dialog must keep the form");
        app.click("#clear-entry").await?;
        app.wait_for("#confirm-dialog[open]", WAIT).await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#library-status", "Bring your own app", WAIT).await?;
        let mode = app.attr("[data-connector='azure-devops'] [data-mode]", "data-mode").await?;
        ensure!(mode.as_deref() == Some("bring_your_own"), "mode after clear: {mode:?}");
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
        app.wait_for("#field-scopes-search", WAIT).await?;
        app.click("#field-scopes-search").await?;
        app.keys("Work items (full)").await?;
        app.keys("\u{E004}").await?; // Tab: to the first matching scope
        let focused = app.focused().await?;
        ensure!(focused == "input#field-scopes-vso.work_full", "Tab went to {focused}");
        app.keys(" ").await?; // Space ticks it
        let value = app.wait_text("#field-scopes-value", "vso.work_full", WAIT).await?;
        ensure!(value == "vso.work_full", "value is {value:?}");
        app.wait_text("#field-scopes-included", "Work items (read)", WAIT).await?;
        // The paste box takes registration-page names too, and reports unknown ones inline.
        app.fill("#field-scopes-paste", "Code (read), vso.wrok").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#field-scopes-paste-error", "vso.wrok", WAIT).await?;
        app.fill("#field-scopes-paste", "Code (read); vso.work_full").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#field-scopes-value", "vso.code vso.work_full", WAIT).await?;
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
        app.wait_text("#library-status", "Saved", WAIT).await?;
        app.click("#export-azure-devops").await?;
        app.click("#export-save").await?;
        let saved = app.wait_text("#export-result", "Saved to ", WAIT).await?;
        let path = std::path::PathBuf::from(saved.trim().trim_start_matches("Saved to ").trim());
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = std::fs::remove_file(&path);
        ensure!(text.contains(APP_ID) && !text.contains(SECRET), "exported file: {text}");
        // On "another machine": start from Bring your own app, import the file.
        app.click("#edit-azure-devops").await?;
        app.click("#clear-entry").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#library-status", "Bring your own app", WAIT).await?;
        let back = app.data_dir.join("to-import.json");
        std::fs::write(&back, &text).map_err(|e| e.to_string())?;
        app.click("#import-azure-devops").await?;
        let input = app.client.find(fantoccini::Locator::Css("#import-file")).await.map_err(|e| e.to_string())?;
        input.send_keys(&back.display().to_string()).await.map_err(|e| format!("choose file: {e}"))?;
        app.wait_text("#form-notice", "Enter the Client Secret", WAIT).await?;
        ensure!(app.value("#field-client_id").await? == APP_ID, "client id not imported");
        ensure!(app.value("#field-service_domain").await? == "app-h.cyclr.com", "domain not imported");
        ensure!(app.value("#field-client_secret").await?.is_empty(), "no secret travels with an export");
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
        ensure!(app.attr("#field-client_secret", "type").await?.as_deref() == Some("text"), "revealed");
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved", WAIT).await?;
        ensure!(keychain_dump().contains(SECRET), "the secret is in the keychain");
        let leaks = files_containing(&app.data_dir, SECRET);
        ensure!(leaks.is_empty(), "the revealed secret reached files: {leaks:?}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
