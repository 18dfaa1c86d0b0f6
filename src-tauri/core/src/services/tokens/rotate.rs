//! One rotation: ask Microsoft for new tokens with the refresh token, store
//! them in the keychain, then record the new expiry in the settings.

use super::{Ask, Pending, Tokens};
use crate::error::{Error, Result};
use crate::microsoft::oauth::entra::{self, EntraApp};
use crate::microsoft::oauth::token::StoredTokens;
use crate::microsoft::oauth::{entra_error, legacy};
use crate::model::connectors;
use crate::model::installation::{AppSource, Installation, InstallationId};
use crate::model::registration::AppRegistration;
use crate::model::secret_expiry;
use crate::secret::AccessToken;
use crate::services::app_choice::{AppChoice, SecretSource};
use crate::store::keychain::installation_tokens;
use crate::store::settings::now_secs;
use crate::sync::lock;

/// Failures that may pass by themselves; anything else means the refresh token is done for.
pub(crate) fn transient(e: &Error) -> bool {
    matches!(
        e,
        Error::TokenServiceUnavailable { .. }
            | Error::UnexpectedResponse { .. }
            | Error::Network { .. }
            | Error::KeychainUnavailable { .. }
    )
}

impl Tokens {
    /// `ask`: a claims challenge the new tokens must answer, or the secret to mint them with.
    pub(super) async fn rotate(&self, i: &Installation, ask: Ask<'_>) -> Result<AccessToken> {
        self.state.keychain_check().await?;
        let pending = lock(&self.pending).remove(&i.id);
        let Pending { tokens: fresh, expires_at, lifetime } = match pending {
            // Tokens from an earlier rotation the keychain refused: store them first,
            // with their real expiry (if it passed, the next use refreshes at once).
            Some(p) => p,
            None => {
                let (tokens, expires_in) = self.request(i, ask).await?;
                Pending { tokens, expires_at: now_secs().saturating_add(expires_in), lifetime: expires_in }
            }
        };
        let (account, value) = (installation_tokens(&i.id), fresh.to_secret());
        if let Err(e) = self.state.secrets(move |s| s.set(&account, &value)).await {
            // Rotation already killed the old refresh token at Microsoft: these are
            // the only good tokens, so keep them in memory until the keychain takes them.
            lock(&self.pending).insert(i.id.clone(), Pending { tokens: fresh, expires_at, lifetime });
            return Err(Error::TokensNotSaved { source: Box::new(e) });
        }
        let now = now_secs();
        let recorded = self.state.settings.update(|s| {
            if let Some(x) = s.installation_mut(&i.id) {
                x.access_expires_at = expires_at;
                x.access_lifetime_secs = lifetime;
                x.last_refreshed_at = Some(now);
                x.needs_reauth = None;
            }
            secret_expiry::signed_in_again(&mut s.expired_secrets, &i.id);
            Ok(())
        });
        // The tokens are safe in the keychain; only the expiry on disk is stale,
        // which at worst causes one early refresh after a restart.
        if let Err(e) = recorded {
            tracing::error!(error = %e, "refreshed tokens stored, but the settings file could not be updated");
        }
        tracing::info!(installation = %i.id, "tokens refreshed");
        Ok(fresh.access)
    }

    /// Saves tokens the keychain refused earlier. Rotation already replaced the old ones at
    /// Microsoft, so these are the only good ones: a process saves them before it exits.
    /// Returns each installation whose new tokens are still unsaved, with why.
    pub async fn save_pending(&self) -> Vec<(Installation, Error)> {
        let ids: Vec<InstallationId> = lock(&self.pending).keys().cloned().collect();
        let mut unsaved = Vec::new();
        for id in ids {
            let Ok(i) = self.installation(&id) else {
                // Uninstalled since: nothing points to these tokens any more.
                lock(&self.pending).remove(&id);
                continue;
            };
            // Held as an uninstall holds it, in this process and in the others.
            let _held = match self.lock_installation(&id).await {
                Ok(held) => held,
                Err(e) => {
                    unsaved.push((i, e));
                    continue;
                }
            };
            // Uninstalled while this process waited (here, or by the window): saving now would
            // bring its tokens back into the keychain. The record on disk decides.
            if let Err(e) = self.state.settings.reload_if_changed() {
                tracing::warn!(error = %e, "could not re-read the settings before saving pending tokens");
            }
            let (Ok(i), true) = (self.installation(&id), lock(&self.pending).contains_key(&id)) else {
                tracing::info!(installation = %id, "uninstalled meanwhile: its unsaved tokens are dropped");
                lock(&self.pending).remove(&id);
                continue;
            };
            if let Err(e) = self.rotate(&i, Ask::Plain).await {
                unsaved.push((i, e));
            }
        }
        unsaved
    }

    /// The token request itself. Returns the tokens to store and their lifetime.
    async fn request(&self, i: &Installation, ask: Ask<'_>) -> Result<(StoredTokens, u64)> {
        let Some(current) = self.read_tokens(&i.id).await? else {
            return Err(Error::CredentialsMissing);
        };
        let Some(refresh) = current.refresh.clone() else {
            return Err(Error::NeedsReauth { description: "no refresh token was issued".into() });
        };
        let (app, secret) = self.registration(i).map_err(|e| match e {
            Error::NeedsReauth { .. } => e,
            // A broken registration in the settings file can't refresh: the user must sign in again.
            other => Error::NeedsReauth { description: other.reauth_reason() },
        })?;
        // The app's Client Secret, if it has one (an Entra public client has none), unless
        // this refresh mints with another (a rotation's next secret).
        let secret = match ask {
            Ask::WithSecret(next) => Some(next.clone()),
            _ => self.state.app_secret(&secret).await?,
        };
        let (http, endpoints) = (self.state.http(), self.state.endpoints());
        let _slot = self.requests.acquire().await.map_err(|e| Error::Internal { detail: e.to_string() })?;
        let result = if app.is_legacy() {
            let Some(secret) = &secret else {
                return Err(Error::NeedsReauth { description: "the app's Client Secret is missing from the keychain".into() });
            };
            legacy::token(http, &endpoints.vssps, secret, &app.redirect_uri, legacy::Grant::Refresh(&refresh)).await
        } else {
            entra::refresh(http, &EntraApp::new(&app, &endpoints.login, secret.as_ref()), &app.redirect_uri, &refresh, ask.claims()).await
        };
        if i.source == AppSource::Shared {
            self.state.learn_audience(&app, result.as_ref().map(drop));
        }
        let set = result.map_err(|e| match e {
            // A legacy Client Secret expires (60 days by default) or is regenerated: a new
            // sign-in can't fix that, a new secret can, and the refresh token stays good.
            Error::InvalidClient { .. } if app.is_legacy() => Error::LegacySecretRejected { shared: i.source == AppSource::Shared },
            // Conditional Access: the device or the policy must change; the sign-in itself is fine.
            e if entra_error::is_conditional_access(&e) => e,
            // An Entra app's expired secret (AADSTS7000222): the fix is a new secret in its
            // entry, and the refresh token stays good until then.
            e if entra_error::is_app_credential_problem(&e) => e,
            e if transient(&e) => e,
            e => Error::NeedsReauth { description: e.reauth_reason() },
        })?;
        // Keep the old refresh token only if Microsoft sent no new one.
        let refresh = set.refresh.or(current.refresh);
        Ok((StoredTokens { access: set.access, refresh }, set.expires_in))
    }

    /// The registration, signing in to the tenant the installation signed in to when
    /// the registration names none: a single-tenant app can't refresh through `organizations`.
    fn registration(&self, i: &Installation) -> Result<(AppRegistration, SecretSource)> {
        let choice = AppChoice::of(i, self.state.shared_entry_for(i).as_ref())?;
        let mut app = choice.registration(connectors::require(&i.connector)?)?;
        if app.tenant.is_none() {
            app.tenant = i.tenant.clone();
        }
        Ok((app, choice.secret))
    }
}
