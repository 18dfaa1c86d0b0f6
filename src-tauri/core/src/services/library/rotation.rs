//! Rotating a shared legacy app's Client Secret with no outage, as Microsoft documents it: a
//! legacy app may hold two secrets, and tokens die with the secret that minted them. So while
//! the old secret still works, every installation's tokens are re-minted with the next one;
//! only then may the old secret go. The first renewal proves the next secret before anything
//! is stored, so a mistyped secret changes nothing.

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use super::{ConnectorView, Library};
use crate::error::{Error, Result};
use crate::model::connectors::{self, AuthKind};
use crate::model::installation::{AppSource, Installation, InstallationId};
use crate::model::secret_expiry::parse_date;
use crate::secret::Secret;
use crate::services::app_choice::SecretSource;
use crate::services::context::Context;
use crate::services::tokens::{transient, Tokens};

/// An installation the rotation could not renew, and why.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NotRenewed {
    #[ts(as = "String")]
    pub installation: InstallationId,
    /// `organization/project`, as the list shows it.
    pub label: String,
    pub reason: String,
}

/// What a rotation did: "N of M installations renewed", and whether the old secret may go.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RotationOutcome {
    pub connector: ConnectorView,
    pub renewed: usize,
    pub total: usize,
    pub not_renewed: Vec<NotRenewed>,
    /// Every installation renewed: nothing needs the old secret any more.
    pub old_secret_may_go: bool,
    pub message: String,
}

pub struct Rotation {
    state: Arc<Context>,
    library: Arc<Library>,
    tokens: Arc<Tokens>,
}

const FIELD: &str = "next_client_secret";

impl Rotation {
    pub fn new(state: Arc<Context>, library: Arc<Library>, tokens: Arc<Tokens>) -> Self {
        Self { state, library, tokens }
    }

    /// Renews every installation of the connector's shared legacy app with `next`, then makes
    /// `next` the entry's secret (with its expiry date, `YYYY-MM-DD`, when given).
    pub async fn rotate(&self, connector: &str, next: Secret, expires: Option<String>) -> Result<RotationOutcome> {
        let manifest = connectors::require(connector)?;
        self.state.settings.writable()?;
        if self.state.is_managed(&manifest.id) {
            return Err(Error::ManagedByPolicy { connector: manifest.id.clone() });
        }
        let entry = self.state.settings.get().library.get(&manifest.id).cloned();
        if !entry.is_some_and(|e| e.auth_type == AuthKind::Legacy && e.has_secret) {
            return Err(Error::field(FIELD, "Only a shared legacy app with a saved Client Secret is rotated here. Set it up first."));
        }
        let next = Secret::new(next.expose().trim());
        if next.is_empty() {
            return Err(Error::field(FIELD, "Paste the app's new Client Secret (its second secret on the registration page)."));
        }
        let expires = expires.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        if expires.as_deref().is_some_and(|d| parse_date(d).is_none()) {
            return Err(Error::field("next_client_secret_expires", "Enter the date as YYYY-MM-DD, as the registration page shows it."));
        }
        let current = self.state.app_secret(&SecretSource::Library { connector: manifest.id.clone(), kind: AuthKind::Legacy }).await?;
        if current.as_ref().is_some_and(|c| c.expose() == next.expose()) {
            return Err(Error::field(FIELD, "This is the secret in use now. Paste the new one (the app's second secret)."));
        }
        let installations = self.installations(&manifest.id);
        let (mut renewed, mut taken, mut failed) = (0, false, Vec::new());
        for i in &installations {
            match self.tokens.renew_with(&i.id, &next).await {
                Ok(()) => {
                    renewed += 1;
                    if !taken {
                        // The first renewal proved the secret: from now on every refresh uses it.
                        self.library.take_next_secret(&manifest.id, next.clone(), expires.clone()).await?;
                        taken = true;
                    }
                }
                // Microsoft refused the next secret itself: nothing was stored, nothing changes.
                Err(Error::LegacySecretRejected { .. } | Error::InvalidClient { .. }) if !taken => {
                    return Err(Error::field(
                        FIELD,
                        "Microsoft refused this secret. Copy it again from the app's registration page: the new secret, not the App Secret.",
                    ));
                }
                Err(e) => failed.push((i, e)),
            }
        }
        if !taken {
            // Nothing proved the secret. A network that failed them all proves nothing either
            // way: change nothing. Otherwise (no installation yet, or each needs a sign-in,
            // which will use the new secret) it is taken on trust, as Save takes a secret.
            if let Some((_, e)) = failed.iter().find(|(_, e)| transient(e)) {
                return Err(e.clone());
            }
            self.library.take_next_secret(&manifest.id, next, expires).await?;
        }
        let connector = self.library.list().into_iter().find(|c| c.manifest.id == manifest.id);
        let connector = connector.ok_or_else(|| Error::NotFound(format!("a library entry for {}", manifest.id)))?;
        let total = installations.len();
        let not_renewed =
            failed.into_iter().map(|(i, e)| NotRenewed { installation: i.id.clone(), label: label(i), reason: e.to_string() }).collect();
        tracing::info!(connector = %manifest.id, renewed, total, "legacy secret rotated");
        Ok(RotationOutcome {
            connector,
            renewed,
            total,
            not_renewed,
            old_secret_may_go: renewed == total,
            message: message(renewed, total),
        })
    }

    /// The installations signed in with the connector's shared legacy app, against this endpoint.
    fn installations(&self, connector: &str) -> Vec<Installation> {
        let endpoint = self.state.endpoints().overridden_by.clone();
        let settings = self.state.settings.get();
        settings
            .installations
            .iter()
            .filter(|i| i.connector == connector && i.source == AppSource::Shared && i.auth_type == AuthKind::Legacy)
            .filter(|i| i.endpoint == endpoint)
            .cloned()
            .collect()
    }
}

fn label(i: &Installation) -> String {
    format!("{}/{}", i.organization, i.project)
}

fn message(renewed: usize, total: usize) -> String {
    match (renewed, total) {
        (_, 0) => "The new secret is saved. No installation uses this app yet, so the old secret may go.".into(),
        (r, t) if r == t => format!(
            "{r} of {t} installations renewed with the new secret. Nothing uses the old secret any more: delete it on the app's registration page, or let it expire."
        ),
        (r, t) => format!(
            "{r} of {t} installations renewed with the new secret. Keep the old secret until the others are renewed: Re-authenticate them, or rotate again once they are connected."
        ),
    }
}
