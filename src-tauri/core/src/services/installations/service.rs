//! The installations service: list them with their live status, store a
//! finished sign-in (all or nothing), test the connection, uninstall.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::page::{Page, PageQuery, MAX_PAGE};
use super::view::InstallationView;
use crate::error::Result;
use crate::microsoft::azure_devops::Ready;
use crate::microsoft::oauth::token::StoredTokens;
use crate::model::installation::{new_id, AppSource, Installation, InstallationId};
use crate::model::registration::{AppRegistration, AuthKind};
use crate::model::scopes::GrantedScopes;
use crate::model::secret_expiry;
use crate::secret::Secret;
use crate::services::context::Context;
use crate::services::tokens::Tokens;
use crate::store::keychain::{installation_secret, installation_tokens};
use crate::store::settings::now_secs;

/// A finished sign-in, ready to be stored.
pub struct NewInstallation {
    pub connector: String,
    /// Re-authenticate this installation instead of creating a new one.
    pub reauth: Option<InstallationId>,
    pub app: AppRegistration,
    pub source: AppSource,
    /// An own app's non-secret values, kept to refresh and re-authenticate with.
    pub own_app: BTreeMap<String, String>,
    /// An own app's Client Secret, stored beside the tokens.
    pub own_secret: Option<Secret>,
    pub ready: Ready,
    pub granted: GrantedScopes,
    pub tokens: StoredTokens,
    pub expires_in: u64,
}

pub struct Installations {
    pub(super) state: Arc<Context>,
    tokens: Arc<Tokens>,
}

impl Installations {
    pub fn new(state: Arc<Context>, tokens: Arc<Tokens>) -> Self {
        Self { state, tokens }
    }

    pub fn all(&self) -> Vec<Installation> {
        self.state.settings.get().installations.clone()
    }

    pub fn get(&self, id: &InstallationId) -> Result<Installation> {
        self.state.installation(id)
    }

    /// Every installation with its live status and what its scopes allow.
    pub fn views(&self) -> Vec<InstallationView> {
        self.state.settings.get().installations.iter().map(|i| self.view_of(i)).collect()
    }

    /// One page of the installations that match a search and a status filter,
    /// and how many match: the window shows thousands a page at a time.
    pub fn page(&self, q: &PageQuery) -> Page {
        let settings = self.state.settings.get();
        let matching: Vec<&Installation> = settings.installations.iter().filter(|i| q.matches(i, &self.tokens.status_of(i))).collect();
        let limit = q.limit.clamp(1, MAX_PAGE);
        let rows = matching.iter().skip(q.offset).take(limit).map(|i| self.view_of(i)).collect();
        Page { total: settings.installations.len(), matching: matching.len(), offset: q.offset, rows }
    }

    pub(super) fn view_of(&self, i: &Installation) -> InstallationView {
        InstallationView { secret_warning: self.secret_warning(i), ..InstallationView::new(i, self.tokens.status_of(i)) }
    }

    /// A legacy installation's Client Secret expiring soon: the date the admin recorded
    /// in the Library entry, or the user in their own app's details.
    pub fn secret_warning(&self, i: &Installation) -> Option<String> {
        if i.auth_type != AuthKind::Legacy {
            return None;
        }
        let (values, place) = match i.source {
            AppSource::Shared => (self.state.shared_entry_for(i)?.values, "the Connector Library entry"),
            AppSource::Own => (i.own_app.clone(), "this installation (Re-authenticate)"),
        };
        secret_expiry::warning(values.get("client_secret_expires").map(String::as_str), now_secs(), place)
    }

    /// Keychain first (tokens, and an own app's secret), then the settings
    /// file; if the file can't be written, the new keychain entries are removed.
    pub async fn store(&self, new: NewInstallation) -> Result<Installation> {
        self.state.settings.writable()?;
        let now = now_secs();
        let existing = new.reauth.as_ref().and_then(|id| self.get(id).ok());
        let id = existing.as_ref().map(|i| i.id.clone()).unwrap_or_else(new_id);
        // Re-authentication waits for a refresh in flight, so that refresh can't
        // overwrite the new sign-in's tokens or mark it Needs re-auth.
        let _held = self.tokens.lock_installation(&id).await?;
        let own = new.source == AppSource::Own;
        let (tok_acc, sec_acc, tok, secret) =
            (installation_tokens(&id), installation_secret(&id), new.tokens.to_secret(), new.own_secret.clone());
        // What was there before, to put back if the settings file can't be written:
        // the tokens, and (re-authenticating an own app with new details) its secret.
        let (previous, previous_secret) = self
            .state
            .secrets(move |s| {
                let previous = s.get(&tok_acc)?;
                let previous_secret = s.get(&sec_acc)?;
                s.set(&tok_acc, &tok)?;
                match (own, &secret) {
                    (true, Some(secret)) => s.set(&sec_acc, secret)?,
                    // An own app signing in without a secret (an Entra public client that
                    // replaced a legacy app): the old app's secret has no use left.
                    (true, None) => s.delete(&sec_acc)?,
                    (false, _) => {}
                }
                Ok((previous, previous_secret))
            })
            .await?;
        let installation = Installation {
            id: id.clone(),
            connector: new.connector,
            organization: new.ready.organization,
            project: new.ready.project.name,
            project_id: new.ready.project.id,
            auth_type: new.app.kind,
            source: new.source,
            own_app: if own { new.own_app } else { BTreeMap::new() },
            scopes: new.granted.clone(),
            user: new.ready.user,
            access_expires_at: now.saturating_add(new.expires_in),
            access_lifetime_secs: new.expires_in,
            last_refreshed_at: None,
            created_at: existing.as_ref().map(|i| i.created_at).unwrap_or(now),
            tenant: new.app.tenant.clone().filter(|_| !new.app.is_legacy()),
            claims: None,
            endpoint: self.state.endpoints().overridden_by.clone(),
            needs_reauth: None,
        };
        let saved = self.state.settings.update(|s| {
            // A re-authenticated installation keeps its place in the list; a new one goes last.
            match s.installations.iter_mut().find(|i| i.id == id) {
                Some(slot) => *slot = installation.clone(),
                None => s.installations.push(installation.clone()),
            }
            secret_expiry::signed_in_again(&mut s.expired_secrets, &id);
            // A legacy token response's scopes are the registration's Authorized scopes.
            if new.app.is_legacy() {
                s.known_registrations.insert(new.app.client_id.clone(), new.granted.clone());
            }
            Ok(())
        });
        if let Err(e) = saved {
            let (tok_acc, sec_acc, new_install) = (installation_tokens(&id), installation_secret(&id), existing.is_none());
            let undo = self
                .state
                .secrets(move |s| {
                    match previous {
                        Some(p) => s.set(&tok_acc, &p)?,
                        None => s.delete(&tok_acc)?,
                    }
                    match (own, new_install, previous_secret) {
                        (true, true, _) | (true, false, None) => s.delete(&sec_acc)?,
                        (true, false, Some(p)) => s.set(&sec_acc, &p)?,
                        (false, _, _) => {}
                    }
                    Ok(())
                })
                .await;
            if let Err(u) = undo {
                tracing::error!(error = %u, "could not undo keychain writes after a failed save");
            }
            return Err(e);
        }
        self.tokens.signed_in(&id);
        Ok(installation)
    }

    /// Removes an installation: keychain entries first (so a keychain that is
    /// down changes nothing), then the metadata. Safe to repeat.
    pub async fn uninstall(&self, id: &InstallationId) -> Result<()> {
        self.state.settings.writable()?;
        // After any refresh in flight: it would otherwise re-create the tokens removed here.
        let _held = self.tokens.lock_installation(id).await?;
        let (tokens, secret) = (installation_tokens(id), installation_secret(id));
        self.state
            .secrets(move |s| {
                s.delete(&tokens)?;
                s.delete(&secret)
            })
            .await?;
        self.state.settings.update(|s| {
            s.installations.retain(|i| &i.id != id);
            Ok(())
        })?;
        self.tokens.reset(id);
        tracing::info!(installation = id.as_str(), "uninstalled");
        Ok(())
    }
}
