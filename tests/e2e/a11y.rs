//! Accessibility of the real window: axe-core (WCAG 2 A and AA rules) runs
//! inside each screen, and any serious or critical violation fails the test.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::ensure;
use crate::harness::{App, Options};

const WAIT: Duration = Duration::from_secs(10);

pub async fn axe(app: &App, screen: &str) -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (scripts/setup.sh installs it)", path.display()))?;
    app.client.execute(&format!("{source}\nreturn true;"), vec![]).await.map_err(|e| format!("loading axe: {e}"))?;
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then((r) => done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))))
          .catch((e) => done([{ id: 'axe-error', help: String(e), nodes: [] }]));"#;
    let result = app.client.execute_async(script, vec![]).await.map_err(|e| format!("running axe: {e}"))?;
    let violations = result.as_array().cloned().unwrap_or_default();
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
        app.wait_for("[data-connector]", WAIT).await?;
        axe(&app, "Connector Library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-search", WAIT).await?;
        axe(&app, "library entry form (Entra)").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain", WAIT).await?;
        app.click("#save-entry").await?;
        app.wait_for("#field-client_id[aria-invalid='true']", WAIT).await?;
        axe(&app, "library entry form with errors").await?;
        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops", WAIT).await?;
        axe(&app, "Installations").await?;
        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization", WAIT).await?;
        axe(&app, "Install form").await
    }
    .await;
    app.finish(result).await;
}
