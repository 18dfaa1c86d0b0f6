//! The Methods panel in the real window: a work item created through it is
//! found through Query, and a method the installation's scopes don't allow is
//! disabled with the reason.

use fake_microsoft::{FakeMicrosoft, World};

use crate::a11y::axe;
use crate::ensure;
use crate::harness::{App, Context};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

/// The method list's column is 13rem whatever is chosen (else the script returns its width).
const LIST_WIDTH: &str = "const w = document.querySelector('.method-list').getBoundingClientRect().width;
    return Math.abs(w - 13 * parseFloat(getComputedStyle(document.documentElement).fontSize)) < 0.5 || w;";

/// The demo's shared legacy app (Work items (full), Project and team (read)), installed on contoso / Website.
pub async fn install_and_open_methods(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    share_demo_app(app, fake).await?;
    start_install(app, "contoso", "Website").await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#install-connected", "Connected to ").await?;
    app.click("tr[data-installation] [data-action=methods]").await?;
    app.wait_for("#run-create_work_item").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_work_item_created_in_the_panel_is_found_by_query() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("methods_create_then_query", &fake).await;
    let result = async {
        install_and_open_methods(&app, &fake).await?;
        app.click("#pick-create_work_item").await?;
        // The button says what it does.
        app.wait_text_is("#run-create_work_item", "Create a work item").await.context("the run button")?;
        app.fill("#field-create_work_item-type", "Bug").await?;
        app.fill("#field-create_work_item-title", "Filed from the Methods panel").await?;
        app.click("#run-create_work_item").await?;
        let created = app.wait_text("#method-create_work_item-status", "Created Bug").await?;
        ensure!(created.contains("Filed from the Methods panel"), "summary: {created}");
        let in_fake = fake.with(|w| {
            w.organization("contoso")
                .unwrap()
                .projects
                .iter()
                .flat_map(|p| p.work_items.iter())
                .any(|i| i.title == "Filed from the Methods panel")
        });
        ensure!(in_fake, "the fake has the new work item");
        // The list is a vertical tab list: the arrow keys choose, and its column keeps its width
        // whichever method is chosen, with its results beside it.
        app.wait_attr("#pick-create_work_item", "aria-selected", Some("true")).await?;
        app.wait_js("the method list's column width", LIST_WIDTH, &[]).await?;
        app.click("#pick-create_work_item").await?;
        app.wait_focus("#pick-create_work_item").await?;
        app.keys("\u{E013}").await?; // Arrow up: the one listed above
        app.wait_focus("#pick-get_work_item").await.context("Arrow up in the method list")?;
        app.wait_attr("#pick-get_work_item", "aria-selected", Some("true")).await?;
        app.wait_visible("#run-get_work_item").await?;
        app.click("#pick-list_work_items").await?;
        app.wait_hidden("#run-create_work_item").await.context("one method's request at a time")?;
        app.fill("#field-list_work_items-wiql", "SELECT [System.Id] FROM WorkItems WHERE [System.Title] CONTAINS 'Methods panel'").await?;
        app.click("#run-list_work_items").await?;
        app.wait_text("#method-list_work_items-status", "1 work item").await?;
        let table = app.wait_text("#method-list_work_items-results", "Filed from the Methods panel").await?;
        ensure!(table.contains("Bug"), "results: {table}");
        app.wait_js("the method list's column width with results", LIST_WIDTH, &[]).await?;
        // The request lines: each call sent, verb and URL, as an API client shows them.
        let sent = app.wait_text("#method-list_work_items-requests", "POST ").await?;
        ensure!(sent.contains("/contoso/Website/_apis/wit/wiql?api-version="), "requests: {sent}");
        ensure!(sent.contains("GET ") && sent.contains("/_apis/wit/workitems?"), "requests: {sent}");
        let meta = app.wait_text("#method-list_work_items-meta", " 1 row").await?;
        ensure!(meta.starts_with("OK") && meta.contains(" ms"), "response line: {meta:?}");
        // The same rows as JSON, and back.
        app.click("#view-list_work_items-json").await?;
        app.wait_text("#method-list_work_items-json", "\"title\": \"Filed from the Methods panel\"").await.context("JSON view")?;
        app.wait_hidden("#method-list_work_items-results").await.context("the table is hidden in the JSON view")?;
        app.click("#view-list_work_items-table").await?;
        // Ids the project doesn't have are named.
        app.click("#pick-get_work_item").await?;
        app.fill("#field-get_work_item-ids", "100, 5000").await?;
        app.click("#run-get_work_item").await?;
        app.wait_text("#method-get_work_item-status", "1 of 2 found (5000 not found)").await?;
        app.click("#pick-list_work_items").await?;
        app.save_screenshot("methods.png").await?;
        axe(&app, "Methods panel with results").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_method_is_disabled_with_why_without_its_scope() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("methods_audit_disabled", &fake).await;
    let result = async {
        install_and_open_methods(&app, &fake).await?;
        app.wait_for("#run-query_audit_log[disabled]").await.context("Run is disabled for the audit log")?;
        app.click("#pick-query_audit_log").await?;
        // A shared app's scopes are the admin's to change, and a legacy registration's can't be:
        // the reason says who to ask, and for another app, not for a scope added to this one.
        let reason =
            app.wait_text("#method-query_audit_log-reason", "ask your admin for a Connector Library app that has Audit Log (read)").await?;
        ensure!(reason.contains("Work items (full)") && !reason.contains("add Audit Log"), "reason: {reason}");
        app.wait_text("#pick-query_audit_log", "not allowed").await.context("the list marks it")?;
        // The date presets fill in the start (an ISO time to the second, 20 characters), the end left for now.
        app.click("#method-query_audit_log [data-preset='7']").await?;
        let start = "const v = document.querySelector(arguments[0]).value; return (v.length === 20 && v.endsWith('Z')) || v;";
        app.wait_js("the start from the preset", start, &["#field-query_audit_log-start"]).await?;
        app.wait_attr("#run-get_project", "disabled", None).await.context("methods the scopes allow stay enabled")?;
        axe(&app, "Methods panel").await
    }
    .await;
    app.finish(result).await;
}
