//! Accessibility of the real window: axe-core (WCAG 2 A and AA rules) runs
//! inside each screen, and any serious or critical violation fails the test.

use serde_json::Value;

use crate::ensure;
use crate::harness::{App, Options};

/// Fails on any serious or critical violation. Callers first wait for the screen it checks.
pub async fn axe(app: &App, screen: &str) -> Result<(), String> {
    let violations = app.axe_violations().await?;
    ensure!(
        violations.is_empty(),
        "{screen}: accessibility violations:\n{}",
        violations.iter().map(Value::to_string).collect::<Vec<_>>().join("\n")
    );
    Ok(())
}

#[tokio::test]
async fn every_screen_passes_axe() {
    let app = App::launch("a11y_axe", Options::default()).await;
    let result = async {
        app.wait_for("[data-connector]").await?;
        axe(&app, "Connector Library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-search").await?;
        axe(&app, "library entry form (Entra)").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.click("#save-entry").await?;
        app.wait_for("#field-client_id[aria-invalid='true']").await?;
        axe(&app, "library entry form with errors").await?;
        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops").await?;
        axe(&app, "Installations").await?;
        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization").await?;
        axe(&app, "Install form").await
    }
    .await;
    app.finish(result).await;
}
