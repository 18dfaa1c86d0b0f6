//! The live service's answers, in the real window against the fake's rules
//! (docs/microsoft.md): a blank Tenant ID signs in through the organization's
//! tenant, a Conditional Access block says what it is, and an expired legacy
//! secret is explained and fixed from the Library, then each installation re-authenticated
//! in place (Microsoft ends the tokens issued with an expired secret).

use std::time::Duration;

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{App, Context, SLOW_WAIT};
use crate::sign_in::{in_sign_in_window, install_error, launch, next_and_sign_in, share_demo_app, start_install};

const ROW: &str = "tr[data-installation]";

/// Installations → Install → an own Entra app with a blank Tenant ID → Next, in the embedded window.
async fn entra_with_blank_tenant(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    start_install(app, "contoso", "Website").await?;
    app.click("#auth-entra").await?;
    app.fill("#field-client_id", &client_id).await?;
    app.fill("#field-scopes-paste", "vso.work_full vso.project").await?;
    app.click("#field-scopes-paste-apply").await?;
    app.click("#install-next").await?;
    app.wait_for("#entra-embedded").await?;
    app.click("#entra-embedded").await?;
    app.wait_text("#sign-in-where", "in a Connector Console window").await.map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_tenant_id_signs_a_single_tenant_app_in_through_the_orgs_tenant() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let org_tenant = fake.with(|w| {
        let t = w.organization("contoso").unwrap().tenant_id.clone();
        w.entra_apps[0].tenant_id = t.clone();
        w.entra_apps[0].single_tenant = true; // "organizations" would be AADSTS50194
        t
    });
    let app = launch("real_blank_tenant", &fake).await;
    let result = async {
        entra_with_blank_tenant(&app, &fake).await?;
        let said = app.wait_text("#sign-in-tenant", "Tenant ID is blank").await?;
        ensure!(said.contains(&org_tenant), "pre-flight: {said}");
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        let used = fake.with(|w| w.authorize_requests.last().map(|q| q.get("prompt").cloned()));
        ensure!(used == Some(Some("select_account".into())), "prompt: {used:?}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conditional_access_block_shows_its_message_not_a_decline() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    fake.with(|w| w.conditional_access = Some(53003));
    let app = launch("real_conditional_access", &fake).await;
    let result = async {
        entra_with_blank_tenant(&app, &fake).await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        let text = install_error(&app, "conditional_access_blocked").await?;
        ensure!(text.contains("Conditional Access") && text.contains("AADSTS53003"), "{text}");
        ensure!(!text.contains("declined"), "called a decline: {text}");
        app.save_screenshot("conditional-access.png").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_legacy_secret_is_explained_and_fixed_from_the_library() {
    let mut world = World::demo();
    world.lifetimes.access_token = Duration::from_secs(6);
    let fake = FakeMicrosoft::start(world).await.unwrap();
    let app = launch("real_expired_legacy_secret", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        fake.with(|w| w.legacy_apps[0].secret_expired = true);
        // The next automatic refresh is refused: the row says why and where to fix it.
        app.wait_for_within(&format!("{ROW} [data-status='error']"), SLOW_WAIT).await?;
        let reason = app.wait_content(&format!("{ROW} .status-more p"), "Client Secret").await?;
        ensure!(reason.contains("Connector Library"), "reason: {reason}");
        // The admin regenerates the secret and pastes it into the entry.
        let new_secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.regenerated";
        fake.with(|w| {
            w.legacy_apps[0].client_secret = new_secret.into();
            w.legacy_apps[0].secret_expired = false;
        });
        app.click("#tab-library").await?;
        app.click("#edit-azure-devops").await?;
        app.fill("#field-client_secret", new_secret).await?;
        app.click("#save-entry").await?;
        app.wait_text("#library-status", "Saved").await?;
        // Microsoft ended the tokens issued with the expired secret: the row asks for a sign-in,
        // and Re-authenticate brings the same installation back (no reinstall).
        app.click("#tab-installations").await?;
        app.row_menu(ROW, "test").await?;
        app.wait_for(&format!("{ROW} [data-status='needs_reauth']")).await?;
        app.click(&format!("{ROW} [data-action=reauth]")).await?;
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#installations-status", "Re-authenticated contoso / Website as ").await?;
        app.wait_for(&format!("{ROW} [data-status='connected']")).await?;
        app.wait_count(ROW, 1).await.context("the same installation, no second row")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}
