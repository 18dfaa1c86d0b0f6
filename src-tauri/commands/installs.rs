use std::sync::Arc;

use connector_core::model::installation::{InstallInput, InstallationId};
use connector_core::model::test_sign_in::{TestSignInInput, TestedSignIn};
use connector_core::services::installations::{Installations, Page, PageQuery, SecretExpired};
use connector_core::services::methods::Methods;
use connector_core::services::signin::{Preflight, SignIn, SignedIn};
use connector_core::Error;
use tauri::{AppHandle, State};

use super::error::Answer;
use crate::sign_in_window::ShellWindows;

/// One page of installations (search, status filter) and the counts; async, so
/// it never runs on the window's main thread, however many there are.
#[tauri::command]
pub async fn installations_list(installations: State<'_, Arc<Installations>>, query: Option<PageQuery>) -> Answer<Page> {
    Ok(installations.page(&query.unwrap_or_default()))
}

/// Each shared app whose Client Secret expired, with the installations that must sign in again.
#[tauri::command]
pub async fn installations_secret_expired(installations: State<'_, Arc<Installations>>) -> Answer<Vec<SecretExpired>> {
    Ok(installations.secret_expired())
}

#[tauri::command]
pub async fn installation_test(methods: State<'_, Arc<Methods>>, id: String) -> Answer<String> {
    let id = InstallationId::parse(&id)?;
    Ok(methods.test_connection(&id).await?)
}

#[tauri::command]
pub async fn installation_uninstall(installations: State<'_, Arc<Installations>>, id: String) -> Answer<()> {
    // Checked here, before it can become part of a lock file's path.
    let id = InstallationId::parse(&id)?;
    Ok(installations.uninstall(&id).await?)
}

#[tauri::command]
pub async fn install_preflight(sign_in: State<'_, Arc<SignIn>>, input: InstallInput) -> Answer<Preflight> {
    Ok(sign_in.preflight(&input).await?)
}

#[tauri::command]
pub fn sign_in_timeout_get(sign_in: State<'_, Arc<SignIn>>) -> u64 {
    sign_in.timeout_secs()
}

#[tauri::command]
pub async fn sign_in_timeout_set(sign_in: State<'_, Arc<SignIn>>, minutes: u64) -> Answer<()> {
    Ok(sign_in.set_timeout(minutes)?)
}

#[tauri::command]
pub async fn entra_embedded_set(sign_in: State<'_, Arc<SignIn>>, embedded: bool) -> Answer<()> {
    Ok(sign_in.set_entra_embedded(embedded)?)
}

/// `copy_link`: the user's browser didn't open, so the page shows the sign-in link
/// (the `sign-in-link` event) for them to paste into one; the wait is the same.
#[tauri::command]
pub async fn sign_in(app: AppHandle, sign_in: State<'_, Arc<SignIn>>, input: InstallInput, copy_link: Option<bool>) -> Answer<SignedIn> {
    Ok(sign_in.run(&input, &ShellWindows { app: &app, hand_link: copy_link.unwrap_or(false) }).await?)
}

/// A test sign-in with the Entra app prepared beside a legacy Library entry, before the
/// switch: the usual sign-in window or browser; nothing installed, no token kept.
#[tauri::command]
pub async fn migration_test_sign_in(app: AppHandle, sign_in: State<'_, Arc<SignIn>>, input: TestSignInInput) -> Answer<TestedSignIn> {
    Ok(sign_in.test_prepared(&input, &ShellWindows { app: &app, hand_link: false }).await?)
}

/// Opens a tenant's admin-consent page in the browser: only such a page of this app's
/// Microsoft endpoint (the core checks the link), never any address the page names.
#[tauri::command]
pub fn open_admin_consent(sign_in: State<'_, Arc<SignIn>>, url: String) -> Answer<()> {
    let url = sign_in.admin_consent_link(&url)?;
    open::that_detached(url.as_str()).map_err(|e| Error::OpenFailed { url: url.to_string(), detail: e.to_string() })?;
    Ok(())
}

#[tauri::command]
pub fn sign_in_cancel(sign_in: State<'_, Arc<SignIn>>) {
    sign_in.cancel()
}
