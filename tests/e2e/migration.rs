//! Move to Entra ID in the real window: a bring-your-own legacy installation is moved
//! in place from its row, through the guide, with an Entra app (system browser, as
//! in entra.rs), and keeps its row while its legacy Client Secret leaves the keychain.

use std::path::Path;

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{keychain_dump, App, Options};
use crate::sign_in::{demo, in_sign_in_window, own_app, start_install, WAIT};

const ROW: &str = "tr[data-installation]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bring_your_own_legacy_installation_moves_to_entra_in_place() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (client_id, tenant) = fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    let (_, legacy_secret, _) = demo(&fake);
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fake-browser.sh");
    let opts = Options {
        env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into()), ("BROWSER".into(), browser.display().to_string())],
        ..Options::default()
    };
    let app = App::launch("migration_own_app", opts).await;
    let result = async {
        start_install(&app, "contoso", "Website").await?;
        own_app(&app, &fake, &legacy_secret, "vso.work_full vso.project").await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in", WAIT).await?;
        app.click("#field-scopes_confirmed").await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;
        let id = app.attr(ROW, "data-installation").await?.unwrap_or_default();
        ensure!(keychain_dump().contains(&legacy_secret), "the legacy secret is not in the keychain");

        app.click(&format!("{ROW} [data-action=migrate]")).await?;
        app.wait_text("#guide-permissions", "Azure DevOps: vso.work_full", WAIT).await?;
        app.click("#guide-move").await?;
        app.wait_text("#move-note", "keeps its organization, project and history", WAIT).await?;
        app.fill("#field-client_id", &client_id).await?;
        app.fill("#field-tenant_id", &tenant).await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in", WAIT).await?;
        app.click("#sign-in").await?;
        app.wait_text("#installations-status", "ready for use", WAIT).await?;

        let rows = app.client.find_all(fantoccini::Locator::Css(ROW)).await.map_err(|e| e.to_string())?;
        ensure!(rows.len() == 1, "the move made {} rows", rows.len());
        ensure!(app.attr(ROW, "data-installation").await?.as_deref() == Some(id.as_str()), "another installation");
        let row = app.text(ROW).await?;
        ensure!(row.contains("Microsoft Entra ID") && row.contains("Website") && !row.contains("Retires in 2026"), "row: {row}");
        ensure!(!keychain_dump().contains(&legacy_secret), "the legacy Client Secret is still in the keychain");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
