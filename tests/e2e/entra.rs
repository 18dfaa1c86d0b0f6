//! Microsoft Entra ID through the system browser, in the real window. The OS
//! opener is pointed at `fake-browser.sh` through the standard `BROWSER`
//! variable; the app has no test path of its own.

use std::path::Path;

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{keychain_dump, App, Context, Options, TestResult};
use crate::sign_in::{in_sign_in_window, start_install};

/// Install with the fake's Entra app as the user's own (Work items (full)), through Next to the check.
pub async fn own_entra_app_at_check(app: &App, fake: &FakeMicrosoft) -> TestResult {
    let (client_id, tenant) = fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    start_install(app, "contoso", "Website").await?;
    app.click("#auth-entra").await?;
    app.fill("#field-client_id", &client_id).await?;
    app.fill("#field-tenant_id", &tenant).await?;
    app.fill("#field-scopes-paste", "Work items (full)").await?;
    app.click("#field-scopes-paste-apply").await?;
    app.click("#install-next").await
}

/// The app against the fake, with `fake-browser.sh` as the system browser; the log is
/// where that browser writes the addresses it was asked to open.
pub async fn with_fake_browser(name: &str, fake: &FakeMicrosoft) -> (App, tempfile::NamedTempFile) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fake-browser.sh");
    let opts = Options {
        env: vec![
            ("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into()),
            ("BROWSER".into(), browser.display().to_string()),
            ("FAKE_BROWSER_LOG".into(), log.path().display().to_string()),
        ],
        ..Options::default()
    };
    (App::launch(name, opts).await, log)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entra_sign_in_through_the_system_browser_and_loopback() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (client_id, tenant) = fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    let (app, log) = with_fake_browser("entra_system_browser", &fake).await;
    let result = async {
        start_install(&app, "contoso-legacy", "Archive").await?;
        app.wait_for("#auth-entra").await?;
        app.click("#auth-entra").await?;
        app.wait_for("#field-tenant_id").await?;
        app.fill("#field-client_id", &client_id).await?;
        app.fill("#field-tenant_id", "organizations").await?;
        app.fill("#field-scopes-paste", "vso.work_full vso.project").await?;
        app.click("#field-scopes-paste-apply").await?;
        app.wait_text("#redirect-uri", "http://localhost").await?;
        app.click("#install-next").await?;
        // Tenant discovery found the organization's tenant and offers it instead of the one typed.
        app.wait_text("#sign-in-tenant", &tenant).await?;
        app.click("#use-org-tenant").await?;
        app.wait_for("#sign-in").await?;
        app.wait_value("#field-tenant_id", &tenant).await.context("tenant not filled in")?;
        app.click("#sign-in").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        let row = app.wait_text("tr[data-installation]", "Microsoft Entra ID").await?;
        ensure!(row.contains("contoso-legacy"), "row: {row}");
        let seen = std::fs::read_to_string(log.path()).unwrap_or_default();
        ensure!(
            seen.contains("/login/") && seen.contains("code_challenge_method=S256"),
            "the browser never got the authorize URL:\n{seen}"
        );
        ensure!(seen.contains("You can close this tab and return to Connector Console"), "the loopback page was not served:\n{seen}");
        // The access token is a JWT (as Microsoft's are), the refresh token the fake's opaque "entr.".
        let keychain = keychain_dump();
        ensure!(keychain.contains("\"a\":\"eyJ") && keychain.contains("entr."), "Entra tokens not in the keychain");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entra_sign_in_in_the_embedded_window_when_chosen() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    let app = App::launch("entra_embedded_window", opts).await;
    let result = async {
        own_entra_app_at_check(&app, &fake).await?;
        // The box, its label and its help inline; the label is what is clicked.
        app.wait_js("the window choice's box and label on one line", crate::sign_in::INLINE_CHECK, &["entra-embedded"]).await?;
        app.click("label[for='entra-embedded']").await?;
        // The choice is saved and the pre-flight now says the window will be used.
        app.wait_text("#sign-in-where", "in a Connector Console window").await?;
        app.click("#sign-in").await?;
        app.wait_text("#sign-in-waiting", "A Microsoft window is open").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        let settings = std::fs::read_to_string(app.data_dir.join("settings.json")).map_err(|e| e.to_string())?;
        ensure!(settings.contains("\"entra_embedded_window\": true"), "the choice was not kept");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entra_sign_in_moves_from_the_window_to_the_browser_on_request() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (app, log) = with_fake_browser("entra_window_to_browser", &fake).await;
    let result = async {
        own_entra_app_at_check(&app, &fake).await?;
        app.click("#entra-embedded").await?;
        app.wait_text("#sign-in-where", "in a Connector Console window").await?;
        app.click("#sign-in").await?;
        app.wait_text("#sign-in-waiting", "A Microsoft window is open").await?;
        app.click("#sign-in-browser").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        let seen = std::fs::read_to_string(log.path()).unwrap_or_default();
        ensure!(seen.contains("code_challenge_method=S256"), "the browser never got the authorize URL:\n{seen}");
        app.wait_windows(1).await.context("the sign-in window is still open")?;
        let settings = std::fs::read_to_string(app.data_dir.join("settings.json")).map_err(|e| e.to_string())?;
        ensure!(!settings.contains("\"entra_embedded_window\": true"), "the browser is not kept as the choice");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// A registration without Azure DevOps under its API permissions (AADSTS650057): Microsoft names
/// the API by its app id, and the error names it as the portal's API permissions list does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_without_azure_devops_is_told_by_name_not_by_app_id() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    fake.with(|w| w.entra_apps[0].permissions.clear());
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    let app = App::launch("entra_permission_not_configured", opts).await;
    let result = async {
        app.resize(800, 600).await?;
        own_entra_app_at_check(&app, &fake).await?;
        // In the app's own window, which Microsoft sends straight back with the error.
        app.click("label[for='entra-embedded']").await?;
        app.wait_text("#sign-in-where", "in a Connector Console window").await?;
        app.click("#sign-in").await?;
        let said = app
            .wait_text("#install-error[data-code='permission_not_configured']", "Azure DevOps (499b84ac-1321-427f-aa17-267ca6975798)")
            .await?;
        ensure!(said.contains("API permissions"), "said: {said}");
        crate::first_minutes::fits(&app, "the AADSTS650057 error").await?;
        crate::a11y::axe(&app, "the AADSTS650057 error").await
    }
    .await;
    app.finish(result).await;
}
