//! Install and Sign In, end to end: the real window, the real sign-in window,
//! the real keychain, and the fake Microsoft behind the endpoint override.

use std::time::Duration;

use fake_microsoft::{FakeMicrosoft, World};
use fantoccini::Locator;

use crate::ensure;
use crate::harness::{files_containing, keychain_dump, App, Options};

pub const WAIT: Duration = Duration::from_secs(15);

pub async fn launch(name: &str, fake: &FakeMicrosoft) -> App {
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    App::launch(name, opts).await
}

pub fn demo(fake: &FakeMicrosoft) -> (String, String, String) {
    fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone(), w.legacy_apps[0].app_secret.clone()))
}

/// Fills the app's details (library entry or own app) with the demo registration.
async fn fill_app(app: &App, client_id: &str, secret: &str, scopes: &str) -> Result<(), String> {
    app.wait_for("#auth-legacy", WAIT).await?;
    app.click("#auth-legacy").await?;
    app.wait_for("#field-service_domain", WAIT).await?;
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
    app.wait_text("#library-status", "Saved", WAIT).await.map(|_| ())
}

/// Installations → Install → org/project → Next → Sign In.
pub async fn start_install(app: &App, org: &str, project: &str) -> Result<(), String> {
    app.click("#tab-installations").await?;
    app.wait_for("#install-azure-devops", WAIT).await?;
    app.click("#install-azure-devops").await?;
    app.wait_for("#field-organization", WAIT).await?;
    app.fill("#field-organization", org).await?;
    app.fill("#field-project", project).await?;
    Ok(())
}

pub async fn next_and_sign_in(app: &App, confirm: bool) -> Result<(), String> {
    app.click("#install-next").await?;
    app.wait_for("#sign-in", WAIT).await?;
    if confirm {
        app.click("#field-scopes_confirmed").await?;
    }
    app.click("#sign-in").await?;
    app.wait_text("#sign-in-waiting", "Waiting for sign-in", WAIT).await.map(|_| ())
}

/// Switches WebDriver to the sign-in window and presses a button there.
pub async fn in_sign_in_window(app: &App, button: &str) -> Result<(), String> {
    let main = app.client.window().await.map_err(|e| e.to_string())?;
    let deadline = std::time::Instant::now() + WAIT;
    let other = loop {
        let all = app.client.windows().await.map_err(|e| e.to_string())?;
        if let Some(w) = all.into_iter().find(|w| *w != main) {
            break w;
        }
        ensure!(std::time::Instant::now() < deadline, "the sign-in window never opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    app.client.switch_to_window(other).await.map_err(|e| e.to_string())?;
    let result = async {
        app.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(button))
            .await
            .map_err(|e| format!("{button} in the sign-in window: {e}"))?;
        // The press navigates to the callback, which the app intercepts by
        // closing this window. A WebDriver click would wait for a page load
        // that never comes, so press the button from a timer and return.
        let script = "const b = document.querySelector(arguments[0]); setTimeout(() => b.click(), 20); return b.textContent;";
        app.client.execute(script, vec![button.into()]).await.map(|_| ()).map_err(|e| format!("press {button}: {e}"))
    }
    .await;
    app.client.switch_to_window(main).await.map_err(|e| e.to_string())?;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_app_happy_path_ends_ready_for_use_with_tokens_only_in_the_keychain() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_happy_path", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Fabrikam Fiber").await?;
        app.wait_text("#shared-app", "Uses the shared app", WAIT).await?;
        next_and_sign_in(&app, false).await?;
        app.save_screenshot("waiting-for-sign-in.png").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "The Connector is now authenticated and ready for use.", WAIT).await?;
        let status = app.attr("tr[data-installation] [data-status]", "data-status").await?;
        ensure!(status.as_deref() == Some("connected"), "row status {status:?}");
        let row = app.text("tr[data-installation]").await?;
        ensure!(row.contains("contoso") && row.contains("Fabrikam Fiber") && row.contains("Shared app"), "row: {row}");
        let methods = app.text("tr[data-installation] [data-cell=methods]").await?;
        ensure!(methods == "Scopes don't allow: Query the audit log", "methods: {methods}");
        // The sign-in timeout is a setting with bounds.
        app.click("details.settings summary").await?;
        app.fill("#field-sign_in_timeout", "0").await?;
        app.click("#sign-in-timeout-save").await?;
        app.wait_text("#field-sign_in_timeout-error", "between 1 and 60", WAIT).await?;
        app.fill("#field-sign_in_timeout", "5").await?;
        app.click("#sign-in-timeout-save").await?;
        app.wait_text("#field-sign_in_timeout-error", "Saved", WAIT).await?;
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

/// Waits for the install error with this code; returns its text.
pub async fn install_error(app: &App, code: &str) -> Result<String, String> {
    app.wait_for(&format!("#install-error[data-code='{code}']"), WAIT).await?;
    app.text("#install-error").await
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
    app.wait_text("#own-app-note", "no shared app", WAIT).await?;
    fill_app(app, &id, secret, scopes).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bring_your_own_app_happy_path() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("sign_in_own_app", &fake).await;
    let result = async {
        let (_, secret, _) = demo(&fake);
        start_install(&app, "contoso", "Website").await?;
        own_app(&app, &fake, &secret, "Work items (full), Project and team (read)").await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in", WAIT).await?;
        // Without the confirmation the sign-in doesn't start.
        app.click("#sign-in").await?;
        app.wait_text("#field-scopes_confirmed-error", "exactly the Authorized scopes", WAIT).await?;
        app.click("#field-scopes_confirmed").await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;
        let row = app.text("tr[data-installation]").await?;
        ensure!(row.contains("Own app") && row.contains("Website"), "row: {row}");
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
        nothing_installed(&app).await?;
        // 2. A successful sign-in teaches the app the registration's scopes…
        app.fill("#field-scopes-paste", "vso.work_full vso.project").await?;
        app.click("#field-scopes-paste-apply").await?;
        next_and_sign_in(&app, true).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;
        // 3. …so a mismatch is now caught at Next, before Microsoft, with the diff.
        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization", WAIT).await?;
        app.fill("#field-organization", "contoso").await?;
        app.fill("#field-project", "Fabrikam Fiber").await?;
        own_app(&app, &fake, &secret, "vso.work_full vso.code").await?;
        app.click("#install-next").await?;
        let text = install_error(&app, "invalid_scope").await?;
        ensure!(text.contains("asks for Code (read)") && text.contains("has Project and team (read)"), "diff: {text}");
        ensure!(!app.is_visible("#sign-in").await?, "Sign In must not be offered for a known mismatch");
        app.save_screenshot("invalid-scope-diff.png").await
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
        let text = app.wait_text("#install-notice[data-code='sign_in_cancelled']", "cancelled", WAIT).await?;
        ensure!(text.contains("cancelled"), "{text}");
        ensure!(app.client.windows().await.map_err(|e| e.to_string())?.len() == 1, "the sign-in window is still open");
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
