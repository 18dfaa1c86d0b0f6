//! A move to Entra ID whose settings file can't be written leaves the keychain as it
//! was: the installation's previous tokens are put back (not deleted), and an own legacy
//! app's Client Secret, which a move to an Entra app without one removes, comes back.
//! Both passed unnoticed by a mutation run (issue #34).

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::{InstallInput, InstallationId, OwnApp};
use connector_core::{Secret, Services};
use fake_microsoft::{FakeMicrosoft, World};
use support::{consent, opener, MemoryStore};

/// contoso / Website with the user's own app: the fake's legacy app (with its secret),
/// or its Entra app (a public client: no secret).
fn own(fake: &FakeMicrosoft, legacy: bool, reauth: Option<InstallationId>) -> InstallInput {
    let (legacy_id, legacy_secret, entra_id) =
        fake.with(|w| (w.legacy_apps[0].app_id.clone(), w.legacy_apps[0].client_secret.clone(), w.entra_apps[0].client_id.clone()));
    let scopes = ("scopes".to_string(), "vso.work_full vso.project".to_string());
    let app = if legacy {
        OwnApp {
            auth_type: "legacy".into(),
            values: BTreeMap::from([
                ("client_id".to_string(), legacy_id),
                scopes,
                ("service_domain".to_string(), "app-h.cyclr.com".to_string()),
            ]),
            secret: Some(Secret::new(legacy_secret)),
        }
    } else {
        OwnApp { auth_type: "entra".into(), values: BTreeMap::from([("client_id".to_string(), entra_id), scopes]), secret: None }
    };
    InstallInput {
        connector: "azure-devops".into(),
        organization: "contoso".into(),
        project: "Website".into(),
        own_app: Some(app),
        scopes_confirmed: true,
        reauth,
    }
}

/// The settings file can't be replaced any more (root ignores permission bits, so a
/// non-empty folder takes its place).
fn break_settings(dir: &Path) {
    std::fs::remove_file(dir.join("settings.json")).unwrap();
    std::fs::create_dir(dir.join("settings.json")).unwrap();
    std::fs::write(dir.join("settings.json/keep"), b"x").unwrap();
}

/// Broken (services/installations/service.rs, the undo after a failed save): the previous
/// tokens deleted instead of put back, and the legacy secret deleted instead of put back.
#[tokio::test]
async fn a_failed_move_to_entra_puts_back_the_legacy_tokens_and_client_secret() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    let id = support::sign_in(&s, &own(&fake, true, None)).await;
    let (tokens, secret) = (format!("installation/{id}/tokens"), format!("installation/{id}/client-secret"));
    let before = (store.get_raw(&tokens).expect("tokens"), store.get_raw(&secret).expect("the legacy secret"));

    let data = dir.path();
    let failed = support::run_as_user(&s, &own(&fake, false, Some(id.clone())), |authorize| async move {
        let answer = consent(&authorize, "accept").await;
        break_settings(data);
        Some(answer)
    })
    .await;
    assert_eq!(failed.unwrap_err().code(), "storage_failed");
    assert_eq!(store.get_raw(&tokens).as_ref(), Some(&before.0), "the legacy tokens are back, not deleted");
    assert_eq!(store.get_raw(&secret).as_ref(), Some(&before.1), "the legacy Client Secret is back");
    assert_eq!(store.accounts(), [secret, tokens], "nothing else left behind");
}
