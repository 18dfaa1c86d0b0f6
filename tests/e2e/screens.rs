//! Every main screen in both colour schemes and at 800×600: axe finds nothing
//! serious or critical, every control's edge shows at 3:1 or more (WCAG 1.4.11),
//! nothing scrolls sideways, and the screenshots in
//! `docs/screens/` are taken here, so the pictures in the docs stay current.

use std::path::{Path, PathBuf};

use fake_microsoft::{FakeMicrosoft, World};

use crate::a11y::{axe, control_contrast};
use crate::ensure;
use crate::first_minutes::fits;
use crate::harness::{App, Options};
use crate::sign_in::{in_sign_in_window, next_and_sign_in, share_demo_app, start_install};

fn screens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screens")
}

/// One screen (the caller waited for it): axe, the controls' edges, no sideways scroll, a screenshot.
pub async fn check(app: &App, screen: &str, file: &str) -> Result<(), String> {
    axe(app, screen).await?;
    control_contrast(app, screen).await?;
    fits(app, screen).await?;
    app.save_screenshot_to(&screens_dir().join(format!("{file}.png"))).await
}

/// Library → entry form → Installations (with a connected one) → Install form →
/// Installations at 800×600 → its legacy row's Move to Entra ID guide.
async fn walk(app: &App, fake: &FakeMicrosoft, scheme: &str) -> Result<(), String> {
    app.wait_for("[data-connector]").await?;
    check(app, &format!("Connector Library ({scheme})"), &format!("library-{scheme}")).await?;
    app.click("#edit-azure-devops").await?;
    app.wait_for("#field-scopes-search").await?;
    check(app, &format!("library entry form ({scheme})"), &format!("library-entry-{scheme}")).await?;
    app.click("#cancel-entry").await?;
    app.wait_for("#edit-azure-devops").await?;
    share_demo_app(app, fake).await?;
    start_install(app, "contoso", "Website").await?;
    check(app, &format!("Install form ({scheme})"), &format!("install-{scheme}")).await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#install-connected", "Connected to ").await?;
    check(app, &format!("Installations ({scheme})"), &format!("installations-{scheme}")).await?;
    app.resize(800, 600).await?;
    check(app, &format!("Installations at 800×600 ({scheme})"), &format!("installations-narrow-{scheme}")).await?;
    app.click("tr[data-installation] [data-action=more]").await?;
    app.wait_for("tr[data-installation] [role=menu] [data-action=uninstall]").await?;
    check(app, &format!("Installations, ⋯ menu open, at 800×600 ({scheme})"), &format!("row-menu-{scheme}")).await?;
    app.keys("\u{E00C}").await?; // Escape closes the menu
    methods(app, scheme).await?;
    install_steps(app, scheme).await?;
    migration_guide(app, scheme).await
}

/// Methods at 800×600: the list beside the request, a response, and a method the scopes don't allow.
async fn methods(app: &App, scheme: &str) -> Result<(), String> {
    app.click("tr[data-installation] [data-action=methods]").await?;
    app.click("#pick-get_work_item").await?;
    app.fill("#field-get_work_item-ids", "100, 5000").await?;
    app.click("#run-get_work_item").await?;
    app.wait_text("#method-get_work_item-status", "1 of 2 found (5000 not found)").await?;
    check(app, &format!("Methods at 800×600 ({scheme})"), &format!("methods-{scheme}")).await?;
    app.click("#pick-query_audit_log").await?;
    app.wait_for("#method-query_audit_log-reason").await?;
    check(app, &format!("Methods, a method not allowed, at 800×600 ({scheme})"), &format!("methods-blocked-{scheme}")).await?;
    app.click("#methods-back").await?;
    app.wait_for("tr[data-installation]").await.map(|_| ())
}

/// Install at 800×600, one step at a time: the check, then the wait for Microsoft (cancelled).
async fn install_steps(app: &App, scheme: &str) -> Result<(), String> {
    start_install(app, "contoso", "Fabrikam Fiber").await?;
    app.click("#install-next").await?;
    app.wait_for("#sign-in").await?;
    check(app, &format!("Install, Check step, at 800×600 ({scheme})"), &format!("install-check-{scheme}")).await?;
    app.click("#sign-in").await?;
    app.wait_text("#sign-in-waiting", "Waiting for sign-in").await?;
    check(app, &format!("Install, waiting for sign-in, at 800×600 ({scheme})"), &format!("install-waiting-{scheme}")).await?;
    app.click("#sign-in-cancel").await?;
    app.wait_text("#install-notice", "Sign-in cancelled").await?;
    app.click("#install-cancel").await?;
    // What was typed goes only when the user says so.
    app.click("#confirm-yes").await?;
    app.wait_for("tr[data-installation]").await.map(|_| ())
}

/// The demo app is legacy: its row offers the move, and the guide is generated from the
/// Library entry, with the tenant the fake names for contoso (X-VSS-ResourceTenant).
async fn migration_guide(app: &App, scheme: &str) -> Result<(), String> {
    app.click("[data-action=migrate]").await?;
    let permissions = app.wait_text("#guide-permissions", "Azure DevOps: vso.work_full").await?;
    ensure!(permissions.contains("Azure DevOps: vso.project"), "permissions listed: {permissions}");
    let tenants = app.wait_text("#guide-tenants", "contoso").await?;
    ensure!(tenants.contains("tenant 72f988bf-86f1-41af-91ab-2d7cd011db47"), "tenants: {tenants}");
    let audience = app.wait_text("#guide-audience", "Multitenant (Accounts in any organizational directory)").await?;
    ensure!(audience.contains("72f988bf"), "audience: {audience}");
    let redirect = app.wait_text("#guide-redirect", "http://localhost").await?;
    ensure!(redirect == "http://localhost", "redirect: {redirect:?}");
    check(app, &format!("Move to Entra ID at 800×600 ({scheme})"), &format!("migration-guide-{scheme}")).await?;
    app.click("#guide-back").await?;
    app.wait_for("[data-action=migrate]").await.map(|_| ())
}

async fn run_scheme(name: &str, scheme: &str, theme: Option<&str>) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let mut env = vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".to_string(), fake.base_url().to_string())];
    if let Some(t) = theme {
        env.push(("GTK_THEME".into(), t.into()));
    }
    let app = App::launch(name, Options { env, ..Options::default() }).await;
    let result = walk(&app, &fake, scheme).await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_screen_in_light() {
    run_scheme("screens_light", "light", None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_screen_in_dark() {
    run_scheme("screens_dark", "dark", Some("Adwaita:dark")).await;
}
