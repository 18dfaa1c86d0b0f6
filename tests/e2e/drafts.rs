//! Typed work is never lost without a question (issue #36): every way out of a filled Install
//! (Cancel install, and Escape on its first step), Library entry or Methods form (Back, Escape)
//! asks "Discard what you entered?", the tab switch's question; Keep editing keeps every value,
//! Discard leaves, an untouched form leaves at once. (Install's Back is the previous step, which
//! keeps everything: install_steps.rs.)
//! And Enter means what it means in the box it is pressed in: in the scope search and paste
//! boxes it saves nothing, while Ctrl+Enter saves the entry from anywhere in the form.

use fake_microsoft::{FakeMicrosoft, World};

use crate::a11y::axe;
use crate::ensure;
use crate::harness::{App, Context, Options, TestResult};
use crate::methods::install_and_open_methods;
use crate::sign_in::{launch, start_install};

const ESCAPE: &str = "\u{E00C}";
const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
/// Control held down for Enter, then released (WebDriver's NULL key).
const CTRL_ENTER: &str = "\u{E009}\u{E007}\u{E000}";

const MODE: &str = "[data-connector='azure-devops'] [data-mode]";
const APP_ID: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";
const SECRET: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e2e-drafts-secret-5d1c";

/// Waits for the discard question, with the safe choice (Keep editing) focused.
async fn asked(app: &App, step: &str) -> TestResult {
    app.wait_for("#confirm-dialog[open]").await.context(step)?;
    app.wait_text_is("#confirm-title", "Discard what you entered?").await.context(step)?;
    app.wait_text_is("#confirm-no", "Keep editing").await.context(step)?;
    app.wait_focus("button#confirm-no").await.context("Keep editing has the focus")
}

/// Escape in the question keeps editing: the question goes, the focus comes back to `field`.
async fn keep_editing(app: &App, field: &str) -> TestResult {
    app.keys(ESCAPE).await?;
    app.wait_gone("#confirm-dialog").await.context("Escape in the question")?;
    app.wait_focus(field).await.context("the focus after Keep editing")
}

/// Discard by keyboard alone: Tab to it, Enter.
async fn discard(app: &App) -> TestResult {
    app.keys(TAB).await?;
    app.wait_focus("button#confirm-yes").await.context("Tab to Discard")?;
    app.keys(ENTER).await
}

#[tokio::test]
async fn back_and_escape_on_a_typed_library_entry_ask_before_discarding() {
    let app = App::launch("drafts_library", Options::default()).await;
    let result = async {
        // Untouched: Escape leaves at once (had it asked, the Library would not be back).
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-client_id").await?;
        app.keys(ESCAPE).await?;
        app.wait_for("#edit-azure-devops").await.context("Escape on an untouched entry")?;
        app.wait_gone("#confirm-dialog").await.context("an untouched entry asked")?;

        app.click("#edit-azure-devops").await?;
        app.fill("#field-client_id", APP_ID).await?;
        app.fill("#field-scopes-paste", "vso.work_full").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#field-scopes-value", "vso.work_full").await?;
        app.click("#field-client_id").await?;
        app.keys(ESCAPE).await?;
        asked(&app, "Escape on a typed entry").await?;
        axe(&app, "the discard question").await?;
        keep_editing(&app, "input#field-client_id").await?;
        app.wait_value("#field-client_id", APP_ID).await.context("Keep editing keeps the Client ID")?;
        app.wait_text("#field-scopes-value", "vso.work_full").await.context("Keep editing keeps the scopes")?;

        app.click("#cancel-entry").await?;
        asked(&app, "Back on a typed entry").await?;
        discard(&app).await?;
        app.wait_for("#edit-azure-devops").await.context("Discard leaves the form")?;
        app.wait_attr(MODE, "data-mode", Some("bring_your_own")).await.context("Discard saved nothing")?;
        ensure!(!app.data_dir.join("settings.json").exists(), "Discard wrote the settings");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// The Save button as it is before a save starts (a submit turns it into a disabled
/// "Saving…" at once, before the save's answer), the form still on screen, and no
/// answer of a save in it (an error, or "Saved, with warnings").
const NOT_SAVING: &str = "const b = document.querySelector('#save-entry');
    const ok = b && !b.disabled && b.textContent === 'Save' && document.querySelector('#entry-form')
      && document.querySelector('#form-error').hidden && !document.querySelector('#form-warnings').textContent
      && !document.querySelector('#library-status');
    return ok || [b && b.textContent, b && b.disabled, !!document.querySelector('#library-status')];";

#[tokio::test]
async fn enter_in_the_scope_search_and_paste_boxes_saves_nothing_and_ctrl_enter_saves() {
    let app = App::launch("drafts_enter", Options::default()).await;
    let result = async {
        // A complete legacy entry: any submit from here on would save it.
        app.click("#edit-azure-devops").await?;
        app.wait_for("#auth-legacy").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.fill("#field-client_id", APP_ID).await?;
        app.fill("#field-client_secret", SECRET).await?;
        app.fill("#field-service_domain", "app-h.cyclr.com").await?;
        app.fill("#field-scopes-paste", "vso.work_full vso.project").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#field-scopes-value", "vso.project vso.work_full").await?;
        app.wait_attr("#save-entry", "aria-keyshortcuts", Some("Control+Enter")).await.context("Save names its shortcut")?;
        app.wait_attr_where("#save-entry", "title", "naming Ctrl+Enter", |t| t.is_some_and(|t| t.contains("Ctrl+Enter"))).await?;

        // Enter in the paste box is a new line.
        app.click("#field-scopes-paste").await?;
        app.keys(ENTER).await?;
        app.keys("vso.code").await?;
        app.wait_value("#field-scopes-paste", "vso.work_full vso.project\nvso.code").await.context("Enter in the paste box")?;
        app.wait_js("no save after Enter in the paste box", NOT_SAVING, &[]).await?;

        // Enter in the search box searches, and saves nothing.
        app.click("#field-scopes-search").await?;
        app.keys("work items").await?;
        app.keys(ENTER).await?;
        app.wait_js("no save after Enter in the search box", NOT_SAVING, &[]).await?;
        app.wait_visible("[data-scope='vso.work_write']").await.context("the search still shows its matches")?;
        // The entry is still unsaved work: leaving asks (a save would have replaced the form).
        app.click("#cancel-entry").await?;
        asked(&app, "Back after Enter in the search box").await?;
        keep_editing(&app, "button#cancel-entry").await?;
        ensure!(!app.data_dir.join("settings.json").exists(), "Enter in the search box saved the entry");

        // Ctrl+Enter saves, from the very box where Enter did not.
        app.click("#field-scopes-search").await?;
        app.keys(CTRL_ENTER).await?;
        app.wait_text("#library-status", "Saved").await.context("Ctrl+Enter")?;
        app.wait_attr(MODE, "data-mode", Some("shared")).await.context("the entry after Ctrl+Enter")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn cancel_install_and_escape_on_a_filled_install_ask_before_discarding() {
    let app = App::launch("drafts_install", Options::default()).await;
    let result = async {
        // Untouched: Escape leaves at once.
        app.click("#tab-installations").await?;
        app.click("#install-azure-devops").await?;
        app.wait_focus("input#field-organization").await?;
        app.keys(ESCAPE).await?;
        app.wait_for("#install-azure-devops").await.context("Escape on an untouched Install")?;
        app.wait_gone("#confirm-dialog").await.context("an untouched Install asked")?;

        // No Library app: the user's own app is typed here too, secret and scopes included.
        start_install(&app, "contoso", "Website").await?;
        app.fill("#field-client_id", APP_ID).await?;
        app.fill("#field-client_secret", SECRET).await?;
        app.fill("#field-scopes-paste", "vso.work_full").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#field-scopes-value", "vso.work_full").await?;
        app.click("#field-project").await?;
        app.keys(ESCAPE).await?;
        asked(&app, "Escape on a filled Install").await?;
        keep_editing(&app, "input#field-project").await?;
        for (field, value) in [("#field-organization", "contoso"), ("#field-project", "Website"), ("#field-client_id", APP_ID)] {
            app.wait_value(field, value).await.context("Keep editing keeps every value")?;
        }
        app.wait_value("#field-client_secret", SECRET).await.context("Keep editing keeps the secret")?;
        app.wait_text("#field-scopes-value", "vso.work_full").await.context("Keep editing keeps the scopes")?;

        app.click("#install-cancel").await?;
        asked(&app, "Cancel install on a filled Install").await?;
        discard(&app).await?;
        app.wait_for("#install-azure-devops").await.context("Discard leaves the Install form")?;
        app.wait_gone("#install-form").await.context("Discard leaves the Install form")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_and_escape_on_typed_methods_input_ask_before_discarding() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("drafts_methods", &fake).await;
    let result = async {
        install_and_open_methods(&app, &fake).await?;
        // Untouched: Escape leaves at once.
        app.wait_focus("button#methods-back").await?;
        app.keys(ESCAPE).await?;
        app.wait_for("tr[data-installation]").await.context("Escape on untouched Methods")?;
        app.wait_gone("#run-create_work_item").await.context("Escape on untouched Methods")?;

        app.click("tr[data-installation] [data-action=methods]").await?;
        app.click("#pick-create_work_item").await?;
        app.fill("#field-create_work_item-title", "Half-typed bug").await?;
        app.keys(ESCAPE).await?;
        asked(&app, "Escape on typed Methods input").await?;
        keep_editing(&app, "#field-create_work_item-title").await?;
        app.wait_value("#field-create_work_item-title", "Half-typed bug").await.context("Keep editing keeps the title")?;

        app.click("#methods-back").await?;
        asked(&app, "Back on typed Methods input").await?;
        discard(&app).await?;
        app.wait_for("tr[data-installation]").await.context("Discard leaves Methods")?;
        app.wait_gone("#run-create_work_item").await.context("Discard leaves Methods")?;

        // Input that was run did its work: Back then leaves at once.
        app.click("tr[data-installation] [data-action=methods]").await?;
        app.click("#pick-get_work_item").await?;
        app.fill("#field-get_work_item-ids", "100, 5000").await?;
        app.click("#run-get_work_item").await?;
        app.wait_text("#method-get_work_item-status", "1 of 2 found").await?;
        app.click("#methods-back").await?;
        app.wait_for("tr[data-installation]").await.context("Back after a run")?;
        app.wait_gone("#confirm-dialog").await.context("Back after a run asked")?;
        let created = fake
            .with(|w| w.organization("contoso").unwrap().projects.iter().any(|p| p.work_items.iter().any(|i| i.title == "Half-typed bug")));
        ensure!(!created, "the discarded work item was created");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
