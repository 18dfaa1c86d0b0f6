//! An admin's test sign-in with the Entra app prepared beside a legacy Library entry,
//! before the switch: the same sign-in as an install (window or browser, tenant
//! discovery, the code exchange, the ready-for-use check against the organization and
//! project the admin names), which proves the registration, its redirect URI, tenant and
//! scopes, and then stores no installation and switches nothing.
//!
//! Its tokens are dropped, never written anywhere: `Secret` zeroizes them on drop. They
//! are not revoked, because Microsoft Entra ID has no endpoint that revokes one token:
//! its only revocation (Microsoft Graph `revokeSignInSessions`) signs the user out of
//! every app on every device. The access token unused lapses within about an hour; the
//! refresh token, kept nowhere, can't be used.

use super::{Purpose, SignIn, SignInWindows};
use crate::error::{Error, Result};
use crate::model::connectors::AuthKind;
use crate::model::ids::TenantId;
use crate::model::installation::InstallInput;
use crate::model::library_entry::LibraryEntry;
use crate::model::test_sign_in::{TestSignInInput, TestedSignIn};
use crate::store::settings::now_secs;

impl SignIn {
    /// Runs a test sign-in with the connector's prepared Entra app. On success the outcome
    /// (who, where, through which tenant) is kept for the move; tokens never are.
    pub async fn test_prepared(&self, input: &TestSignInInput, windows: &dyn SignInWindows) -> Result<TestedSignIn> {
        let entry = self.prepared_entra(&input.connector)?;
        let install = InstallInput {
            connector: input.connector.clone(),
            organization: input.organization.clone(),
            project: input.project.clone(),
            own_app: None,
            scopes_confirmed: true,
            reauth: None,
        };
        let (attempt, answer) = self.drive(&install, Purpose::TestPrepared, windows).await?;
        let redeemed = self.redeem(&attempt, &answer, Purpose::TestPrepared).await?;
        let tested = TestedSignIn {
            client_id: redeemed.resolved.app.client_id.clone(),
            entry_updated_at: entry.updated_at,
            user: redeemed.ready.user.display_name.clone(),
            organization: redeemed.ready.organization.clone(),
            project: redeemed.ready.project.name.clone(),
            // Where `EntraApp` sent it: `organizations` when no tenant was set or found.
            tenant: redeemed.resolved.app.tenant.clone().unwrap_or_else(|| TenantId::organizations().clone()),
            at: now_secs(),
        };
        // The tokens go here, unstored.
        drop(redeemed);
        let connector = input.connector.clone();
        let kept = tested.clone();
        self.state.settings.update(move |s| {
            s.test_sign_ins.insert(connector, kept);
            Ok(())
        })?;
        tracing::info!(connector = %input.connector, org = %tested.organization, "test sign-in with the prepared Entra app worked");
        Ok(tested)
    }

    /// The Entra entry prepared beside the connector's legacy one, not yet in force.
    pub(super) fn prepared_entra(&self, connector: &str) -> Result<LibraryEntry> {
        let in_force = self.state.library_entry(connector).map(|e| e.auth_type);
        self.state
            .alternate_entry(connector)
            .filter(|e| e.auth_type == AuthKind::Entra && in_force == Some(AuthKind::Legacy))
            .ok_or_else(|| Error::NotFound(format!("an Entra entry prepared beside the legacy one for {connector}")))
    }
}
