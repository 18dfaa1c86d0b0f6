//! A partner's Entra app in the Connector Library, used by customers whose organizations
//! live in other tenants, in the real window: a multitenant app signs in users of two
//! organizations in two tenants; a tenant that lets only admins consent gets the
//! admin-consent link, and after its admin accepts, Check again connects; a single-tenant
//! app is stopped at the check with both tenants and the fix named; and a blank entry learns
//! that its app became single-tenant, says so on its card, and then stops the other tenant.

use std::time::Duration;

use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::entra::with_fake_browser;
use crate::harness::{wait_until, App, TestResult, SLOW_WAIT};
use crate::screens::check;
use crate::sign_in::{install_error, start_install};

const ROW: &str = "tr[data-installation]";

/// The fake's Entra app as the Library's shared entry, typed into the Library form.
async fn share_entra_app(app: &App, fake: &FakeMicrosoft, single_tenant_home: Option<&str>) -> TestResult {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    app.click("#tab-library").await?;
    app.click("#edit-azure-devops").await?;
    app.click("#auth-entra").await?;
    app.wait_for("#field-single_tenant_home").await?;
    app.fill("#field-client_id", &client_id).await?;
    app.fill("#field-scopes-paste", "vso.work_full vso.project").await?;
    app.click("#field-scopes-paste-apply").await?;
    if let Some(home) = single_tenant_home {
        app.fill("#field-single_tenant_home", home).await?;
    }
    app.click("#save-entry").await?;
    app.wait_text("#library-status", "Saved").await.map(|_| ())
}

/// Install → Next (the check) → Sign In; the fake browser accepts as the preselected account.
async fn install(app: &App, org: &str, project: &str) -> TestResult {
    start_install(app, org, project).await?;
    app.click("#install-next").await?;
    app.click("#sign-in").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_multitenant_app_connects_two_tenants_one_after_its_admins_consent() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let customer_tenant = fake.with(|w| w.add_customer_in_another_tenant());
    fake.with(|w| w.admin_consent_only.insert(customer_tenant.clone()));
    let (app, _log) = with_fake_browser("entra_partner_two_tenants", &fake).await;
    let result = async {
        share_entra_app(&app, &fake, None).await?;
        // Dana, in the partner's own tenant.
        fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
        install(&app, "contoso", "Website").await?;
        app.wait_count(ROW, 1).await?;
        // Omar, in the customer's tenant, which lets only admins consent.
        fake.with(|w| w.default_user = Some(w.users[1].id.clone()));
        install(&app, "fabrikam", "Portal").await?;
        let why = install_error(&app, "admin_consent_required").await?;
        ensure!(why.contains(&customer_tenant) && why.contains("check again"), "{why}");
        let link = app
            .wait_attr_where("#error-link", "value", "the admin-consent link", |v| v.is_some_and(|v| v.contains("/v2.0/adminconsent")))
            .await?
            .unwrap_or_default();
        ensure!(link.contains(&customer_tenant) && link.contains("vso.work_full"), "{link}");
        app.click("#error-link-copy").await?;
        app.wait_text("#error-link-status", "Copied").await?;
        check(&app, "Admin consent needed (light)", "partner-admin-consent-light").await?;
        // The customer's admin opens the link and accepts for the organization.
        admin_accepts(&link).await?;
        // Check again, then Sign In: connected.
        app.click("#install-next").await?;
        app.click("#sign-in").await?;
        app.wait_count(ROW, 2).await?;
        let rows = app.wait_text(&format!("{ROW}:last-child"), "fabrikam").await?;
        ensure!(rows.contains("Portal"), "{rows}");
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// What the admin does on Microsoft's admin-consent page: Accept (the page's form posts
/// the link's parameters back with the decision).
async fn admin_accepts(link: &str) -> TestResult {
    let url = url::Url::parse(link).map_err(|e| e.to_string())?;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().map_err(|e| e.to_string())?;
    let page = http.get(link).send().await.map_err(|e| e.to_string())?;
    ensure!(page.status().is_success(), "the admin-consent page: {}", page.status());
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    form.push(("decision".into(), "accept".into()));
    let answer = http.post(&link[..link.find('?').unwrap_or(link.len())]).form(&form).send().await.map_err(|e| e.to_string())?;
    let back = answer.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    ensure!(back.contains("admin_consent=True"), "Microsoft's answer to the admin: {back}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_tenant_app_is_stopped_at_the_check_with_the_fix_named() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let customer_tenant = fake.with(|w| w.add_customer_in_another_tenant());
    let home = fake.with(|w| {
        w.entra_apps[0].single_tenant = true;
        w.entra_apps[0].tenant_id.clone()
    });
    let (app, log) = with_fake_browser("entra_partner_single_tenant", &fake).await;
    let result = async {
        share_entra_app(&app, &fake, Some(&home)).await?;
        start_install(&app, "fabrikam", "Portal").await?;
        app.click("#install-next").await?;
        let why = install_error(&app, "single_tenant_app_elsewhere").await?;
        ensure!(why.contains(&home) && why.contains(&customer_tenant), "both tenants named: {why}");
        ensure!(why.contains("Accounts in any organizational directory"), "the fix named: {why}");
        ensure!(std::fs::read_to_string(log.path()).unwrap_or_default().is_empty(), "no browser was opened");
        check(&app, "Single-tenant app stopped at the check (light)", "partner-single-tenant-light").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_entry_learns_its_app_became_single_tenant_shows_it_and_stops_the_other_tenant() {
    let mut world = World::demo();
    // Refreshed every few seconds: the refreshes are where Microsoft's answers are heard.
    world.lifetimes.access_token = Duration::from_secs(6);
    let fake = FakeMicrosoft::start(world).await.unwrap();
    let customer_tenant = fake.with(|w| w.add_customer_in_another_tenant());
    let home = fake.with(|w| w.entra_apps[0].tenant_id.clone());
    let (app, log) = with_fake_browser("entra_partner_learned", &fake).await;
    let line = "#learned-audience-azure-devops";
    let result = async {
        share_entra_app(&app, &fake, None).await?;
        fake.with(|w| w.default_user = Some(w.users[0].id.clone()));
        install(&app, "contoso", "Website").await?;
        app.wait_count(ROW, 1).await?;
        fake.with(|w| w.default_user = Some(w.users[1].id.clone()));
        install(&app, "fabrikam", "Portal").await?;
        app.wait_count(ROW, 2).await?;
        app.click("#tab-library").await?;
        app.wait_text(line, "Multitenant (signed in users of 2 tenants)").await?;
        // The owner makes the app single-tenant: the customer's refresh gets AADSTS700016…
        fake.with(|w| w.entra_apps[0].single_tenant = true);
        app.click("#tab-installations").await?;
        app.wait_for_within(&format!("{ROW} [data-status='needs_reauth']"), SLOW_WAIT).await?;
        // …and the partner's next refresh, which works, shows where the app is registered.
        let settings = app.data_dir.join("settings.json");
        let learned_home = format!("\"home\": \"{home}\"");
        wait_until("the app's tenant learned", SLOW_WAIT, || match std::fs::read_to_string(&settings) {
            Ok(text) if text.contains(&learned_home) => Ok(()),
            other => Err(format!("{other:?}")),
        })
        .await?;
        app.click("#tab-library").await?;
        let said = app.wait_text(line, "Single-tenant, registered in tenant").await?;
        ensure!(said.contains(&home), "{said}");

        let opened = std::fs::read_to_string(log.path()).unwrap_or_default();
        start_install(&app, "fabrikam", "Portal").await?;
        app.click("#install-next").await?;
        let why = install_error(&app, "single_tenant_app_elsewhere").await?;
        ensure!(why.contains(&home) && why.contains(&customer_tenant) && why.contains("so far"), "learned, both tenants: {why}");
        ensure!(why.contains("Accounts in any organizational directory"), "the fix named: {why}");
        ensure!(std::fs::read_to_string(log.path()).unwrap_or_default() == opened, "no browser was opened");
        Ok(())
    }
    .await;
    app.finish(result).await;
}
