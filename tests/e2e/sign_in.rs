//! Install and Sign In, end to end: the real window, the real sign-in window,
//! the real keychain, and the fake Microsoft behind the endpoint override.

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{files_containing, keychain_dump, App, Context, Options, TestResult};

pub async fn launch(name: &str, fake: &FakeMicrosoft) -> App {
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    App::launch(name, opts).await
}

pub fn demo(fake: &FakeMicrosoft) -> (String, String, String) {
    fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone(), w.legacy_apps[0].app_secret.clone()))
}

/// Fills the app's details (library entry or own app) with the demo registration.
pub async fn fill_app(app: &App, client_id: &str, secret: &str, scopes: &str) -> Result<(), String> {
    app.wait_for("#auth-legacy").await?;
    app.click("#auth-legacy").await?;
    app.wait_for("#field-service_domain").await?;
    app.fill("#field-client_id", client_id).await?;
    app.fill("#field-client_secret", secret).await?;
    app.fill("#field-scopes-paste", scopes).await?;
    app.click("#field-scopes-paste-apply").await?;
    app.fill("#field-service_domain", "app-h.cyclr.com").await
}

pub async fn share_demo_app(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    let (id, secret, _) = demo(fake);
    app.click("#edit-azure-devops").await?;
    fill_app(app, &id, &secret, "vso.work_full vso.project").await?;
    app.click("#save-entry").await?;
    app.wait_text("#library-status", "Saved").await.map(|_| ())
}

/// Installations → Install → org/project → Next → Sign In.
pub async fn start_install(app: &App, org: &str, project: &str) -> Result<(), String> {
    app.click("#tab-installations").await?;
    app.wait_for("#install-azure-devops").await?;
    app.click("#install-azure-devops").await?;
    app.wait_for("#field-organization").await?;
    app.fill("#field-organization", org).await?;
    app.fill("#field-project", project).await?;
    Ok(())
}

pub async fn next_and_sign_in(app: &App, confirm: bool) -> Result<(), String> {
    app.click("#install-next").await?;
    app.wait_for("#sign-in").await?;
    if confirm {
        app.click("#field-scopes_confirmed").await?;
    }
    app.click("#sign-in").await?;
    app.wait_text("#sign-in-waiting", "Waiting for sign-in").await.map(|_| ())
}

/// Waits for Microsoft's sign-in window and presses a button there.
pub async fn in_sign_in_window(app: &App, button: &str) -> TestResult {
    app.press_in_other_window(button).await.context("the sign-in window")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_app_happy_path_ends_connected_with_tokens_only_in_the_keychain() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_happy_path", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Fabrikam Fiber").await?;
        app.wait_text("#shared-app", "Uses the shared app").await?;
        next_and_sign_in(&app, false).await?;
        app.save_screenshot("waiting-for-sign-in.png").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        app.wait_attr("tr[data-installation] [data-status]", "data-status", Some("connected")).await.context("row status")?;
        let row = app.wait_text("tr[data-installation]", "Fabrikam Fiber").await?;
        ensure!(row.contains("contoso") && row.contains("Shared app"), "row: {row}");
        app.wait_text_is("tr[data-installation] [data-cell=methods]", "Scopes don't allow: Query the audit log")
            .await
            .context("methods")?;
        // The sign-in timeout is a setting with bounds; its error is marked as any form field's.
        app.click("details.settings summary").await?;
        app.fill("#field-sign_in_timeout", "0").await?;
        app.click("#sign-in-timeout-save").await?;
        app.wait_text("p.field-error#field-sign_in_timeout-error", "between 1 and 60").await?;
        app.wait_for("#field-sign_in_timeout[aria-invalid='true']").await?;
        app.wait_focus("#field-sign_in_timeout").await?;
        crate::a11y::axe(&app, "Sign-in settings with an error").await?;
        app.fill("#field-sign_in_timeout", "5").await?;
        app.click("#sign-in-timeout-save").await?;
        app.wait_text("#sign-in-timeout-status", "Saved").await?;
        app.wait_for("#field-sign_in_timeout:not([aria-invalid])").await?;
        app.wait_content_empty("#field-sign_in_timeout-error").await?;
        let keychain = keychain_dump();
        ensure!(
            keychain.contains("/tokens") && keychain.contains("vsoa.") && keychain.contains("vsor."),
            "tokens not in the keychain:\n{keychain}"
        );
        app.save_screenshot("installed.png").await
    }
    .await;
    let (_, secret, _) = demo(&fake);
    for needle in ["vsoa.", "vsor.", secret.as_str()] {
        let leaks = files_containing(&app.data_dir, needle);
        if !leaks.is_empty() {
            return app.finish(Err(format!("{needle} leaked into {leaks:?}"))).await;
        }
    }
    app.finish(result).await;
}

/// Waits for the install error with this code and its explanation; returns its text.
pub async fn install_error(app: &App, code: &str) -> Result<String, String> {
    app.wait_text_where(&format!("#install-error[data-code='{code}']"), "an explanation", |t| !t.is_empty()).await
}

/// Nothing of an installation was stored: no row, no tokens in the keychain.
async fn nothing_installed(app: &App) -> Result<(), String> {
    ensure!(!keychain_dump().contains("installation/"), "keychain holds installation secrets:\n{}", keychain_dump());
    let settings = std::fs::read_to_string(app.data_dir.join("settings.json")).unwrap_or_default();
    ensure!(!settings.contains("\"project_id\""), "an installation reached the settings file");
    Ok(())
}

pub async fn own_app(app: &App, fake: &FakeMicrosoft, secret: &str, scopes: &str) -> Result<(), String> {
    let (id, _, _) = demo(fake);
    app.wait_text("#own-app-note", "no shared app").await?;
    fill_app(app, &id, secret, scopes).await
}

/// A checkbox (id in arguments[0]) and its label share a line, the label right of the box, and
/// the field's next line (error or help) starts under the label, not under the box.
pub const INLINE_CHECK: &str = "const box = document.getElementById(arguments[0]);
    const label = document.querySelector(`label[for='${arguments[0]}']`);
    if (!box || !label) return 'no box or label';
    const b = box.getBoundingClientRect(), l = label.getBoundingClientRect();
    const under = label.nextElementSibling?.getBoundingClientRect();
    const oneLine = b.top < l.bottom && l.top < b.bottom && l.left >= b.right;
    return (oneLine && (!under || under.height === 0 || under.left >= l.left - 1)) || `box ${JSON.stringify(b)} label ${JSON.stringify(l)}`;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bring_your_own_app_happy_path() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_own_app", &fake).await;
    let result = async {
        let (_, secret, _) = demo(&fake);
        start_install(&app, "contoso", "Website").await?;
        own_app(&app, &fake, &secret, "Work items (full), Project and team (read)").await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        // Without the confirmation the sign-in doesn't start.
        app.click("#sign-in").await?;
        app.wait_text("#field-scopes_confirmed-error", "exactly the Authorized scopes").await?;
        // The box and its label on one line, the error under the label; the label ticks the box.
        app.wait_js("the confirmation's box and label on one line", INLINE_CHECK, &["field-scopes_confirmed"]).await?;
        crate::a11y::axe(&app, "Check step with the confirmation's error").await?;
        app.click("label[for='field-scopes_confirmed']").await?;
        app.wait_for("#field-scopes_confirmed:checked").await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        let row = app.wait_text("tr[data-installation]", "Own app").await?;
        ensure!(row.contains("Website"), "row: {row}");
        let keychain = keychain_dump();
        ensure!(keychain.contains("/client-secret") && keychain.contains(&secret), "own app secret not in the keychain");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_scope_is_explained_then_caught_before_sign_in_with_the_diff() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_invalid_scope", &fake).await;
    let result = async {
        let (_, secret, _) = demo(&fake);
        // 1. Microsoft refuses: the registration is vso.work_full + vso.project.
        start_install(&app, "contoso", "Website").await?;
        own_app(&app, &fake, &secret, "vso.work_full vso.code").await?;
        next_and_sign_in(&app, true).await?;
        let text = install_error(&app, "invalid_scope").await?;
        ensure!(text.contains("InvalidScope") && text.contains("Code (read)") && text.contains("Authorized scopes"), "explanation: {text}");
        // The registration's scopes are not known yet: nothing to offer.
        app.wait_gone("#use-registered-scopes").await?;
        nothing_installed(&app).await?;
        // 2. A successful sign-in teaches the app the registration's scopes…
        app.fill("#field-scopes-paste", "vso.work_full vso.project").await?;
        app.click("#field-scopes-paste-apply").await?;
        next_and_sign_in(&app, true).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        // 3. …so a mismatch is now caught at Next, before Microsoft, with the diff.
        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization").await?;
        app.fill("#field-organization", "contoso").await?;
        app.fill("#field-project", "Fabrikam Fiber").await?;
        own_app(&app, &fake, &secret, "vso.work_full vso.code").await?;
        app.click("#install-next").await?;
        let text = install_error(&app, "invalid_scope").await?;
        ensure!(text.contains("asks for Code (read)") && text.contains("has Project and team (read)"), "diff: {text}");
        app.wait_hidden("#sign-in").await.context("Sign In must not be offered for a known mismatch")?;
        app.save_screenshot("invalid-scope-diff.png").await?;
        // 4. One click puts the registration's two scopes in the form and checks again.
        app.wait_text_is("#use-registered-scopes", "Use the registration\u{2019}s 2 scopes").await?;
        app.click("#use-registered-scopes").await?;
        app.wait_text("#preflight-scopes", "Project and team (read)").await?;
        app.wait_no_text("#preflight-scopes", "Code (read)").await?;
        app.click("#field-scopes_confirmed").await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to contoso / Fabrikam Fiber as ").await.map(|_| ())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_secret_shows_the_client_secret_hint() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_app_secret", &fake).await;
    let result = async {
        let (_, _, app_secret) = demo(&fake);
        start_install(&app, "contoso", "Website").await?;
        own_app(&app, &fake, &app_secret, "vso.work_full vso.project").await?;
        next_and_sign_in(&app, true).await?;
        in_sign_in_window(&app, "#accept").await?;
        let text = install_error(&app, "invalid_client").await?;
        ensure!(text.contains("Client Secret") && text.contains("App Secret"), "hint: {text}");
        nothing_installed(&app).await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deny_and_closing_the_window_leave_no_installation() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_deny_and_close", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#deny").await?;
        let text = install_error(&app, "access_denied").await?;
        ensure!(text.contains("declined"), "{text}");
        nothing_installed(&app).await?;
        // Cancel in the main window closes the sign-in window: "Sign-in cancelled".
        next_and_sign_in(&app, false).await?;
        app.click("#sign-in-cancel").await?;
        let text = app.wait_text("#install-notice[data-code='sign_in_cancelled']", "cancelled").await?;
        ensure!(text.contains("cancelled"), "{text}");
        app.wait_windows(1).await.context("the sign-in window is still open")?;
        nothing_installed(&app).await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_not_found_and_org_policy_off_are_explained() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_ready_check_failures", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Nope").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        let text = install_error(&app, "project_not_found").await?;
        ensure!(text.contains("TF200016") && text.contains("Nope"), "{text}");
        // The Project field is marked, with the organization's projects to choose from.
        app.wait_for("#field-project[aria-invalid='true']").await?;
        let line = app.wait_text("#field-project-error", "contoso has no project \"Nope\"").await?;
        ensure!(line.contains("Fabrikam Fiber") && line.contains("Website"), "{line}");
        crate::a11y::axe(&app, "Install details with the Project field marked").await?;
        app.click("#field-project-error button[data-project='Website']").await?;
        app.wait_value("#field-project", "Website").await?;
        app.wait_for("#field-project:not([aria-invalid])").await?;
        app.wait_focus("#field-project").await?;
        nothing_installed(&app).await?;
        app.fill("#field-organization", "contoso-legacy").await?;
        app.fill("#field-project", "Archive").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        let text = install_error(&app, "oauth_disabled_by_org").await?;
        ensure!(text.contains("TF400813") && text.contains("Third-party application access via OAuth"), "{text}");
        nothing_installed(&app).await
    }
    .await;
    app.finish(result).await;
}
