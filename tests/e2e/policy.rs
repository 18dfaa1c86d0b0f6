//! Fleet provisioning in the real window: a policy file's entry shows as
//! managed and read-only, takes its Client Secret once, and signs in.

use fake_microsoft::{FakeMicrosoft, World};

use crate::a11y::axe;
use crate::ensure;
use crate::harness::{App, Context, Options};
use crate::sign_in::{demo, in_sign_in_window, next_and_sign_in, start_install};

/// A policy file as a deployment tool leaves it: 0644, whatever the umask (the app
/// ignores one that other users can write).
pub fn write_policy(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_entry_is_read_only_takes_its_secret_and_signs_in() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let (app_id, secret, _) = demo(&fake);
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    let text = format!(
        r#"{{ "version": 1, "connectors": {{ "azure-devops": {{ "auth_type": "legacy", "client_id": "{app_id}",
            "scopes": "vso.work_full vso.project", "service_domain": "app-h.cyclr.com" }} }} }}"#
    );
    write_policy(&policy, &text);
    let env = vec![
        ("CONNECTOR_CONSOLE_MICROSOFT_URL".to_string(), fake.base_url().to_string()),
        ("CONNECTOR_CONSOLE_POLICY".to_string(), policy.display().to_string()),
    ];
    let app = App::launch("policy_managed", Options { env, ..Options::default() }).await;
    let result = async {
        let badge = app.wait_text("[data-connector=azure-devops] [data-mode]", "Managed by your organization").await?;
        ensure!(badge.contains("Managed"), "{badge}");
        app.wait_gone("#edit-azure-devops").await.context("no Edit for a managed entry")?;
        axe(&app, "Connector Library with a managed entry").await?;
        app.fill("#field-managed-secret-azure-devops", &secret).await?;
        app.click("#save-managed-secret-azure-devops").await?;
        app.wait_text("#library-status", "keychain").await?;
        start_install(&app, "contoso", "Website").await?;
        next_and_sign_in(&app, false).await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await.map(|_| ())
    }
    .await;
    app.finish(result).await;
}
