//! Install links (`connector-console://install?…`): they open the Install form with the link's
//! fields filled in, from a first launch or handed over by a later one, and never sign in.

use std::process::Command;

use crate::ensure;
use crate::harness::{App, Options};

const FILLED: &str = "Filled in from a link: check the details, then Sign In yourself.";

/// Starts the app again with `link`, as the desktop does when a link is clicked while it runs.
fn open_link(app: &App, link: &str) -> Result<(), String> {
    let second = Command::new(env!("CARGO_BIN_EXE_connector-console"))
        .arg(link)
        .env("CONNECTOR_CONSOLE_DATA_DIR", &app.data_dir)
        .output()
        .map_err(|e| format!("second launch: {e}"))?;
    ensure!(second.status.success(), "the launch with a link exited with {:?}: {}", second.status, String::from_utf8_lossy(&second.stderr));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_handed_over_opens_install_filled_in_and_signs_in_to_nothing() {
    let app = App::launch("install_link", Options::default()).await;
    let result = async {
        // The partner copies the card's link and adds the organization and project.
        app.click("#copy-link-azure-devops").await?;
        let copied = app.wait_text("#install-link-copied", "connector-console://install?connector=azure-devops").await?;
        open_link(&app, &format!("{copied}&organization=contoso&project=Website&utm_source=mail"))?;
        app.wait_value("#field-organization", "contoso").await?;
        app.wait_value("#field-project", "Website").await?;
        app.wait_text("#install-link-notice", FILLED).await?;
        app.wait_text("#install-link-notice", "utm_source, which a link can\u{2019}t set").await?;
        // Still at Details with Next to press: nothing was checked, no sign-in window opened.
        app.wait_attr("[aria-current=step]", "data-step", Some("details")).await?;
        app.wait_visible("#install-next").await?;
        app.wait_gone("#sign-in").await?;
        app.wait_windows(1).await?;
        app.save_screenshot("install-link.png").await?;

        // A link with a secret in it is refused whole, and says why; the form keeps what it had.
        open_link(&app, "connector-console://install?connector=azure-devops&organization=fabrikam&client_secret=abc")?;
        app.wait_text("#install-link-error", "never carries a secret").await?;
        app.wait_value("#field-organization", "contoso").await?;
        app.wait_windows(1).await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_launch_with_a_link_opens_install_filled_in() {
    let link = "connector-console://install?connector=azure-devops&organization=contoso".to_string();
    let app = App::launch("install_link_first", Options { args: vec![link], ..Options::default() }).await;
    let result = async {
        app.wait_value("#field-organization", "contoso").await?;
        app.wait_value("#field-project", "").await?;
        app.wait_text("#install-link-notice", FILLED).await?;
        app.wait_windows(1).await
    }
    .await;
    app.finish(result).await;
}
