//! Say less, and say what happened (#36, items 6 and 7): a legacy form offers no preset that
//! its registration can't match, a shared-app install shows no callback to fix, and
//! installing an organization and project a second time is warned about before Sign In.
//! A Library save with warnings shows them first, with Done in Back's place. An Entra form
//! offers no scope Microsoft marks "no longer public".

use fake_microsoft::{FakeMicrosoft, World};

use crate::harness::Context;
use crate::sign_in::{demo, fill_app, in_sign_in_window, launch, share_demo_app, start_install};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_forms_have_no_preset_shared_installs_no_callback_and_a_second_install_is_warned() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("plain_words", &fake).await;
    let result = async {
        // The Library form: Entra offers the recommended preset, legacy does not.
        app.click("#edit-azure-devops").await?;
        app.click("#auth-entra").await?;
        app.wait_for("#field-scopes-recommended").await.context("Entra offers the preset")?;
        // Nor does an Entra form offer the service hooks scopes, "no longer public" (#35, item 5).
        let (hooks, work) = (".scope-item[data-scope='vso.hooks_write']", ".scope-item[data-scope='vso.work_full']");
        app.click("#field-scopes-browse").await?;
        app.wait_visible(work).await.context("the catalog is open")?;
        app.wait_hidden(hooks).await.context("an Entra form offers vso.hooks_write")?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.wait_gone("#field-scopes-recommended").await.context("a legacy form offers the preset")?;
        // A legacy registration may hold it: there it is offered.
        app.click("#field-scopes-browse").await?;
        app.wait_visible(hooks).await.context("a legacy form hides vso.hooks_write")?;
        // An empty expiry date is marked, so it shows muted rather than like a date that is set.
        app.wait_attr("#field-client_secret_expires", "data-empty", Some("")).await?;
        // Saved with warnings: the list at the top and Done in Back's place, two buttons, not three.
        let (id, secret, _) = demo(&fake);
        fill_app(&app, &id, &secret, "vso.project").await?;
        app.click("#save-entry").await?;
        app.wait_text("#form-warnings", "Saved, with warnings").await?;
        app.wait_focus("#form-done").await?;
        app.wait_hidden("#cancel-entry").await.context("Back beside Done")?;
        app.click("#form-done").await?;
        app.wait_for("#edit-azure-devops").await?;

        // A shared-app install: no callback URL, no "fix the registration" while waiting.
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        app.click("#install-next").await?;
        app.wait_text("#preflight-scopes", "Work items (full)").await?;
        app.wait_gone("#preflight-callback").await.context("the shared app's callback is shown")?;
        app.wait_gone("#preflight-warning").await.context("a first install is warned about")?;
        app.click("#sign-in").await?;
        let waiting = app.wait_text("#sign-in-waiting", "Waiting for sign-in").await?;
        crate::ensure!(!waiting.contains("callback") && !waiting.contains("fix the registration"), "waiting: {waiting}");
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to contoso / Website as ").await?;
        app.wait_content_empty("#installations-status").await.context("a generic line under Connected")?;

        // The same organization and project again: said before Sign In, with who is signed in there.
        app.click("#install-done").await?;
        start_install(&app, "contoso", "Website").await?;
        app.click("#install-next").await?;
        let warning = app.wait_text("#preflight-warning", "contoso / Website is already installed").await?;
        crate::ensure!(warning.contains("Re-authenticate"), "warning: {warning}");
        // Another project is a new installation: no warning.
        app.click("#install-edit").await?;
        app.fill("#field-project", "Fabrikam Fiber").await?;
        app.click("#install-next").await?;
        app.wait_text("#install-summary-text", "contoso / Fabrikam Fiber").await?;
        app.wait_gone("#preflight-warning").await.context("another project is warned about")
    }
    .await;
    app.finish(result).await;
}
