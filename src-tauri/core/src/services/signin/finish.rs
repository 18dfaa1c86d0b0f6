//! The answer: Microsoft's redirect for the attempt in flight, the code
//! exchange, the ready-for-use check, and only then storing anything.

use url::Url;

use super::{Attempt, Purpose, Resolved, SignIn, SignedIn, READY_SENTENCE};
use crate::error::{Error, Result};
use crate::microsoft::azure_devops::{Access, DevOps, Ready};
use crate::microsoft::oauth::entra::{self, EntraApp};
use crate::microsoft::oauth::{callback, entra_error, legacy, token::StoredTokens, token::TokenSet};
use crate::model::installation::AppSource;
use crate::model::library_entry::looks_like_client_secret;
use crate::model::registration::AppRegistration;
use crate::model::scopes::{explain_entra_invalid_scope, explain_invalid_scope, GrantedScopes};
use crate::secret::Secret;
use crate::services::installations::NewInstallation;

/// An answer redeemed and checked: the tokens, and the organization and project reached.
pub(super) struct Redeemed {
    pub resolved: Resolved,
    pub secret: Option<Secret>,
    pub tokens: TokenSet,
    pub granted: GrantedScopes,
    pub ready: Ready,
}

impl SignIn {
    /// The answer for an installation's attempt: redeemed, checked, and only then stored.
    /// A step of `run`.
    pub(super) async fn finish(&self, attempt_id: &str, callback_url: &str) -> Result<SignedIn> {
        let Redeemed { resolved: r, secret, tokens, granted, ready } = self.redeem(attempt_id, callback_url, Purpose::Install).await?;
        let installation = self
            .installations
            .store(NewInstallation {
                connector: r.connector,
                reauth: r.reauth,
                source: r.source,
                own_app: r.own_app,
                own_secret: secret,
                ready,
                granted,
                tokens: StoredTokens { access: tokens.access.clone(), refresh: tokens.refresh.clone() },
                expires_in: tokens.expires_in,
                app: r.app,
            })
            .await
            .inspect_err(|e| tracing::warn!(code = e.code(), "sign-in failed storing the installation"))?;
        tracing::info!(installation = %installation.id, "sign-in complete; connector ready");
        Ok(SignedIn { installation, message: READY_SENTENCE })
    }

    /// The answer for the attempt in flight with this purpose: the code exchanged, and the
    /// ready-for-use check passed. Nothing is stored here.
    pub(super) async fn redeem(&self, attempt_id: &str, callback_url: &str, purpose: Purpose) -> Result<Redeemed> {
        let attempt = self.slot().take_if(|a| a.id == attempt_id && a.purpose == purpose);
        let Some(attempt) = attempt else {
            tracing::warn!(attempt = attempt_id, "a sign-in answer arrived with no matching attempt in flight");
            return Err(Error::StateMismatch);
        };
        let url = Url::parse(callback_url).map_err(|_| Error::StateMismatch)?;
        let code = callback::read_callback(&url, &attempt.state).map_err(|e| self.refused(&attempt, e))?;
        let Attempt { resolved: r, secret, redirect, verifier, .. } = attempt;
        let (http, endpoints) = (self.state.http(), self.state.endpoints());
        let tokens = match (&secret, verifier) {
            (Some(secret), _) if r.app.is_legacy() => {
                legacy::token(http, &endpoints.vssps, secret, &r.app.redirect_uri, legacy::Grant::Code(&code)).await
            }
            (secret, Some(verifier)) => {
                entra::exchange_code(http, &EntraApp::new(&r.app, &endpoints.login, secret.as_ref()), &redirect, &code, verifier).await
            }
            _ => Err(Error::UnexpectedResponse { detail: "the sign-in attempt lost its credentials".into() }),
        }
        .map_err(|e| self.with_admin_consent_link(&r.app, e))
        .map_err(|e| self.secret_refused(&r, secret.as_ref(), e))
        .inspect_err(|e| tracing::warn!(code = e.code(), "sign-in failed at the token exchange"));
        if r.source == AppSource::Shared {
            self.state.learn_audience(&r.app, tokens.as_ref().map(drop));
        }
        let tokens = tokens?;
        // What Microsoft reports, scopes the catalog doesn't know included; what was asked for when
        // it reports nothing the catalog knows.
        let reported = tokens.scope.as_deref().map(GrantedScopes::read).filter(|g| !g.known().is_empty());
        let granted = reported.unwrap_or_else(|| r.app.scopes.clone().into());
        let devops = DevOps { access: Some(Access { kind: r.app.kind, granted: granted.known() }), ..DevOps::new(http, endpoints) };
        let ready = devops
            .ready_check(&tokens.access, &r.organization, &r.project)
            .await
            .inspect_err(|e| tracing::warn!(code = e.code(), "sign-in failed at the ready check"))?;
        Ok(Redeemed { resolved: r, secret, tokens, granted, ready })
    }

    /// A tenant that lets only admins consent (AADSTS90094, or 65001 where only an admin
    /// may consent): the error carries that tenant's admin-consent link for this app and
    /// its scopes, so the user can hand it to their admin instead of stopping at the error.
    fn with_admin_consent_link(&self, app: &AppRegistration, e: Error) -> Error {
        let Error::Entra { code: Some(aadsts @ (90094 | 65001)), .. } = e else { return e };
        let endpoints = self.state.endpoints();
        let entra = EntraApp::new(app, &endpoints.login, None);
        match entra::admin_consent_url(&entra, &app.redirect_uri) {
            Ok(url) => Error::AdminConsentRequired { tenant: entra.tenant.to_string(), url: url.to_string(), aadsts },
            Err(_) => e,
        }
    }

    /// A shared legacy app's Client Secret refused at the code exchange is as dead as one
    /// refused at refresh (it expired or was regenerated): recorded the same way, so the
    /// Installations notice and the Library card say so, and explained as the entry's problem.
    /// Not a secret that isn't a Client Secret at all (the App Secret pasted in its place, the
    /// commonest set-up mistake): that keeps `invalid_client` and its App Secret hint.
    fn secret_refused(&self, r: &Resolved, secret: Option<&Secret>, e: Error) -> Error {
        let client_secret = secret.is_some_and(|s| looks_like_client_secret(s.expose()));
        match e {
            Error::InvalidClient { .. } if r.app.is_legacy() && r.source == AppSource::Shared && client_secret => {
                self.state.secret_refused(&r.connector);
                Error::LegacySecretRejected { shared: true }
            }
            e => e,
        }
    }

    /// Microsoft's refusal (or a bad answer), explained for this attempt's app.
    fn refused(&self, attempt: &Attempt, e: Error) -> Error {
        let app = &attempt.resolved.app;
        let e = match e {
            Error::SignInRefused { error, .. } if app.is_legacy() && error == "InvalidScope" => {
                // The diff, when the registration is known from an earlier token response.
                let known = self.state.settings.get().known_registrations.get(&app.client_id).cloned();
                let x = explain_invalid_scope(&app.scopes, known.as_ref().and_then(GrantedScopes::all_known));
                tracing::warn!(client_id = %app.client_id, "Microsoft answered InvalidScope");
                return Error::InvalidScope { message: x.message, remedy: x.hint, registered: known.map(|k| k.to_string()) };
            }
            Error::SignInRefused { error, description } if !app.is_legacy() => {
                let description = description.unwrap_or_default();
                if error == "invalid_scope" {
                    let x = explain_entra_invalid_scope(&app.scopes, &description);
                    Error::InvalidScope { message: x.message, remedy: x.hint, registered: None }
                } else {
                    let e = entra_error::aadsts(&error, &description);
                    // AADSTS50194 or 700016 on the redirect teach the shared app's audience as
                    // they do at the token endpoint (`model::audience`).
                    if attempt.resolved.source == AppSource::Shared {
                        self.state.learn_audience(app, Err(&e));
                    }
                    self.with_admin_consent_link(app, e)
                }
            }
            other => other,
        };
        tracing::warn!(code = e.code(), "sign-in answer rejected");
        e
    }
}
