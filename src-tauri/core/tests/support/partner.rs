//! A partner's Entra app shared by customers in other tenants: the fake's demo world with a
//! customer in another tenant, the app shared as the Library entry, and the user on
//! Microsoft's page.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{opener, run_as_user, shared_install, MemoryStore};
use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::model::library_entry::EntryInput;
use connector_core::{Error, Services};
use fake_microsoft::{FakeMicrosoft, World};

/// The demo world with a customer (`fabrikam`) in another tenant, whose tenant is returned.
pub async fn setup() -> (FakeMicrosoft, Services, tempfile::TempDir, String) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let customer_tenant = fake.with(|w| w.add_customer_in_another_tenant());
    let dir = tempfile::tempdir().unwrap();
    let services =
        Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(Arc::new(MemoryStore::default())));
    (fake, services, dir, customer_tenant)
}

/// The fake's Entra app as the shared entry, with `extra` values (e.g. its single-tenant home).
pub async fn share_entra_app(s: &Services, fake: &FakeMicrosoft, extra: &[(&str, &str)]) {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let mut values =
        BTreeMap::from([("client_id".to_string(), client_id), ("scopes".to_string(), "vso.work_full vso.project".to_string())]);
    values.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    s.library.save(EntryInput { connector: "azure-devops".into(), auth_type: "entra".into(), values, secret: None }).await.unwrap();
}

pub fn fabrikam() -> InstallInput {
    InstallInput { organization: "fabrikam".into(), project: "Portal".into(), ..shared_install() }
}

/// The user on Microsoft's page, as the account the page preselects: Accept. Returns the
/// redirect, or Microsoft's error page (a refusal before any consent) as `Err`.
pub async fn accept_as_preselected(fake: &FakeMicrosoft, authorize_url: &str) -> Result<String, String> {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(authorize_url).send().await.unwrap();
    if !page.status().is_success() {
        return Err(page.text().await.unwrap());
    }
    let url = url::Url::parse(authorize_url).unwrap();
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    form.push(("user".into(), fake.with(|w| w.default_user.clone()).unwrap()));
    form.push(("decision".into(), "accept".into()));
    let action = format!("{}{}", &authorize_url[..authorize_url.find(url.path()).unwrap()], url.path());
    let r = http.post(action).form(&form).send().await.unwrap();
    Ok(r.headers()["location"].to_str().unwrap().to_string())
}

/// A sign-in, accepting as the preselected account. Microsoft's error page (a refusal before
/// any consent: the sign-in never gets an answer, and the user cancels it) as `Err`.
pub async fn sign_in(fake: &FakeMicrosoft, s: &Services, input: &InstallInput) -> connector_core::Result<InstallationId> {
    let mut error_page = None;
    let seen = &mut error_page;
    let done =
        run_as_user(s, input, move |page| async move { accept_as_preselected(fake, &page).await.map_err(|page| *seen = Some(page)).ok() })
            .await;
    match error_page {
        Some(page) => Err(Error::Internal { detail: page }),
        None => Ok(done?.installation.id),
    }
}
