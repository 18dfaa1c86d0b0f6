//! Move to Entra ID in the real window, with an Entra app signing in through the system
//! browser (as in entra.rs): a bring-your-own legacy installation moved in place from its
//! row; and a shared Library entry moved beside, switched (and back), its installations
//! moved one by one with one failing, and the legacy app removed once none uses it.

use std::path::Path;

use fake_microsoft::{FakeMicrosoft, Fault, Project, World};

use crate::ensure;
use crate::harness::{keychain_dump, App, Context, Options};
use crate::screens::check;
use crate::sign_in::{demo, in_sign_in_window, next_and_sign_in, own_app, share_demo_app, start_install};

const ROW: &str = "tr[data-installation]";
/// The element's text is the page's text colour (else the script returns its colour).
const TEXT_COLOUR: &str = "const c = getComputedStyle(document.querySelector(arguments[0])).color;
    return c === getComputedStyle(document.body).color || c;";

/// The fake as Microsoft, and its browser as the user's.
fn options(fake: &FakeMicrosoft) -> Options {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fake-browser.sh");
    Options {
        env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into()), ("BROWSER".into(), browser.display().to_string())],
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bring_your_own_legacy_installation_moves_to_entra_in_place() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (client_id, tenant) = fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()));
    let (_, legacy_secret, _) = demo(&fake);
    let app = App::launch("migration_own_app", options(&fake)).await;
    let result = async {
        start_install(&app, "contoso", "Website").await?;
        own_app(&app, &fake, &legacy_secret, "vso.work_full vso.project").await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        app.click("#field-scopes_confirmed").await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        let id = app.wait_attr_where(ROW, "data-installation", "an id", |v| v.is_some_and(|v| !v.is_empty())).await?.unwrap_or_default();
        ensure!(keychain_dump().contains(&legacy_secret), "the legacy secret is not in the keychain");

        app.click(&format!("{ROW} [data-action=migrate]")).await?;
        app.wait_text("#guide-permissions", "Azure DevOps: vso.work_full").await?;
        // The guide names the installation it moves, and whose app it replaces in plain text, not
        // in the green of something done.
        app.wait_text_is(".form-bar h2", "Move contoso / Website to Microsoft Entra ID").await?;
        app.wait_text("#guide-status", "For the legacy app").await?;
        app.wait_js("the guide's status in the text colour", TEXT_COLOUR, &["#guide-status"]).await?;
        app.click("#guide-move").await?;
        app.wait_text("#move-note", "keeps its organization, project and history").await?;
        // A move offers Entra alone: no legacy choice to undo it.
        app.wait_for("#auth-entra:checked").await?;
        app.wait_gone("#auth-legacy").await.context("a legacy choice in the move")?;
        app.fill("#field-client_id", &client_id).await?;
        app.fill("#field-tenant_id", &tenant).await?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        app.click("#sign-in").await?;
        app.wait_text("#installations-status", "to Entra ID.").await?;

        app.wait_count(ROW, 1).await?;
        app.wait_attr(ROW, "data-installation", Some(id.as_str())).await.context("another installation")?;
        let row = app.wait_text(ROW, "Microsoft Entra ID").await?;
        ensure!(row.contains("Website"), "row: {row}");
        app.wait_no_text(ROW, "Retires in 2026").await.context("the moved row still says its legacy app retires")?;
        ensure!(!keychain_dump().contains(&legacy_secret), "the legacy Client Secret is still in the keychain");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// Installations whose tokens in the keychain are legacy ones (the fake's legacy access tokens start "vsoa").
fn legacy_tokens() -> usize {
    keychain_dump().matches("\"a\":\"vsoa").count()
}

/// Three installations on the shared legacy app: the Entra app saved beside (a blank Client
/// ID marked first), switched, two moved from their rows and one failing mid-way (the
/// fake's token endpoint answers 500) that stays on legacy; 2 of 3 counted; switched back
/// and again; then, the failed one uninstalled, the legacy app removed with its secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_entry_moves_beside_two_of_three_move_one_fails_and_the_legacy_app_goes() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    fake.with(|w| {
        let contoso = w.organization_mut("contoso").unwrap();
        contoso.projects.push(Project { name: "Intranet".into(), id: "c1f2e3d4-0000-4000-8000-000000000003".into(), work_items: vec![] });
    });
    let (client_id, (_, legacy_secret, _)) = (fake.with(|w| w.entra_apps[0].client_id.clone()), demo(&fake));
    let app = App::launch("migration_shared", options(&fake)).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        for project in ["Website", "Fabrikam Fiber", "Intranet"] {
            start_install(&app, "contoso", project).await?;
            next_and_sign_in(&app, false).await?;
            in_sign_in_window(&app, "#accept").await?;
            app.wait_text("#install-connected", "Connected to ").await?;
        }
        ensure!(legacy_tokens() == 3, "three legacy installations: {}", legacy_tokens());
        app.click("#tab-library").await?;
        app.click("#migrate-azure-devops").await?;
        app.wait_for("#guide-entry").await?;
        app.click("#guide-save").await?;
        app.wait_for("#field-client_id[aria-invalid='true']").await?;
        app.fill("#field-client_id", &client_id).await?;
        app.click("#guide-save").await?;
        app.wait_text("#library-status", "saved beside the legacy one").await?;
        app.wait_text("#migration-azure-devops", "is ready beside this one").await?;
        app.click("#migration-switch-azure-devops").await?;
        app.wait_text("#library-status", "Switched to Microsoft Entra ID").await?;
        let progress = app.wait_text("#migration-progress-azure-devops", "0 of 3 installations moved").await?;
        ensure!(progress.contains("keep working with the legacy app"), "{progress}");

        app.click("#tab-installations").await?;
        for moved in 1..=2 {
            app.click("tr[data-installation] [data-action=move]").await?;
            app.wait_for("#sign-in").await?;
            app.click("#sign-in").await?;
            app.wait_text("#installations-status", "to Entra ID.").await?;
            // Moved where it was: the moved-th row (Website, then Fabrikam Fiber), marked.
            let project = ["Website", "Fabrikam Fiber"][moved - 1];
            let marked = format!("tr[data-installation]:nth-child({moved}).just-changed");
            app.wait_text(&marked, project).await.context("the moved row is not marked where it was")?;
            ensure!(legacy_tokens() == 3 - moved, "legacy tokens left after {moved} moves: {}", legacy_tokens());
        }
        // The third move fails at Microsoft's token endpoint: nothing changes for it.
        fake.with(|w| w.token_faults.push_back(Fault::ServerError));
        app.click("tr[data-installation] [data-action=move]").await?;
        app.wait_for("#sign-in").await?;
        app.click("#sign-in").await?;
        app.wait_for("#install-error:not([hidden])").await?;
        app.click("#install-cancel").await?;
        // Cancel install renders the list anew: wait for its three rows, never count the page mid-render.
        app.wait_count(ROW, 3).await?;
        let left = app.wait_text("tr[data-installation]:has([data-action=move])", "Intranet").await?;
        ensure!(left.contains("Connected"), "the failed one still works on legacy: {left}");
        ensure!(legacy_tokens() == 1, "the failed one keeps its legacy tokens");

        app.click("#tab-library").await?;
        app.wait_text("#migration-progress-azure-devops", "2 of 3 installations moved").await?;
        app.wait_hidden("#migration-finish-azure-devops").await.context("the legacy app can't go while one uses it")?;
        check(&app, "Library during a move to Entra ID", "migration-library-light").await?;
        app.click("#migration-switch-azure-devops").await?;
        app.wait_text("#library-status", "Switched back to the legacy app").await?;
        app.click("#migration-switch-azure-devops").await?;
        app.wait_text("#library-status", "Switched to Microsoft Entra ID").await?;

        app.click("#tab-installations").await?;
        app.row_menu("tr[data-installation]:has([data-action=move])", "uninstall").await?;
        app.wait_for("#confirm-dialog[open]").await?;
        app.click("#confirm-yes").await?;
        app.wait_text("#installations-status", "Uninstalled").await?;
        app.click("#tab-library").await?;
        app.wait_text("#migration-progress-azure-devops", "Every installation has moved").await?;
        app.click("#migration-finish-azure-devops").await?;
        app.wait_text("#library-status", "The move to Microsoft Entra ID is done").await?;
        app.wait_hidden("#migration-azure-devops").await.context("the move is over")?;
        ensure!(!keychain_dump().contains(&legacy_secret), "the legacy Client Secret is still in the keychain");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// Before the switch, the admin's test sign-in with the prepared Entra app, from the
/// migration panel: the untested warning beside Switch first, then the real sign-in in the
/// (fake) browser against the organization and project named, its success line, and no
/// installation, no token in the keychain and no switch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_sign_in_with_the_prepared_entra_app_works_from_the_migration_panel_and_installs_nothing() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (client_id, users) =
        fake.with(|w| (w.entra_apps[0].client_id.clone(), w.users.iter().map(|u| u.display_name.clone()).collect::<Vec<_>>()));
    let app = App::launch("migration_test_sign_in", options(&fake)).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        app.click("#migrate-azure-devops").await?;
        app.wait_for("#guide-entry").await?;
        app.fill("#field-client_id", &client_id).await?;
        app.click("#guide-save").await?;
        app.wait_text("#library-status", "saved beside the legacy one").await?;
        app.wait_text("#migration-untested-azure-devops", "No test sign-in has worked with the Entra app yet").await?;
        app.wait_attr("#migration-switch-azure-devops", "aria-describedby", Some("migration-untested-azure-devops")).await?;

        app.fill("#migration-test-org-azure-devops", "contoso").await?;
        app.fill("#migration-test-project-azure-devops", "Website").await?;
        app.click("#migration-test-azure-devops").await?;
        let said = app.wait_text("#library-status", "Test sign-in worked as ").await?;
        ensure!(said.contains(" in contoso/Website"), "{said}");
        ensure!(users.iter().any(|u| said.contains(&format!("worked as {u} in"))), "no fake user named: {said}");
        let line = app.wait_text("#migration-tested-azure-devops", "Nothing was installed and no token was kept").await?;
        ensure!(line.contains("contoso/Website"), "{line}");
        app.wait_hidden("#migration-untested-azure-devops").await?;
        app.wait_text("#migration-progress-azure-devops", "is ready beside this one").await.context("the test switched the entry")?;
        let keychain = keychain_dump();
        ensure!(!keychain.contains("/tokens"), "a token was kept in the keychain: {keychain}");

        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops").await?;
        app.wait_count(ROW, 0).await.context("the test sign-in made an installation")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}
