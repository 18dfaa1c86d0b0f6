//! Install and Sign In, for legacy Azure DevOps OAuth and Entra ID: pre-flight,
//! the one attempt in flight with its single-use `state` (and PKCE verifier),
//! the token exchange, the ready-for-use check, and storing the result — all or nothing.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;
use url::Url;

use crate::azure_devops::{DevOps, Ready};
use crate::connectors::FieldKind;
use crate::console::{blocking, secret_account as library_secret_account, Console};
use crate::error::{Error, UiError};
use crate::installations::{self, AppSource, InstallInput, Installation};
use crate::library::validate_entry;
use crate::oauth::entra::{self, EntraApp};
use crate::oauth::loopback::Loopback;
use crate::oauth::{callback, legacy, token::StoredTokens};
use crate::scopes::{compare, explain_entra_invalid_scope, explain_invalid_scope, parse_scopes, recommended_scope_warning, ScopeSet};
use crate::secret::Secret;
use crate::settings::now_secs;
use crate::validate;

/// An install, checked and resolved to the app it will use.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub connector: String,
    pub organization: String,
    pub project: String,
    pub auth_type: String,
    pub source: AppSource,
    pub own_app: BTreeMap<String, String>,
    pub client_id: String,
    /// Entra only: the tenant to sign in to.
    pub tenant: Option<String>,
    pub scopes: ScopeSet,
    /// Legacy: the registered HTTPS callback. Entra: the registered `http://localhost`.
    pub callback: String,
    pub reauth: Option<String>,
}

impl Resolved {
    /// The Entra registration this install signs in with (`organizations` when no tenant is set).
    fn entra_app<'a>(&'a self, login: &'a str, secret: Option<&'a Secret>) -> EntraApp<'a> {
        EntraApp {
            login,
            tenant: self.tenant.as_deref().unwrap_or("organizations"),
            client_id: &self.client_id,
            secret,
            scopes: &self.scopes,
        }
    }
}

/// The sign-in in flight. Taken (and so ended) by the first answer.
pub struct Attempt {
    pub id: String,
    state: String,
    resolved: Resolved,
    /// Legacy: always. Entra: only for a confidential client.
    secret: Option<Secret>,
    /// The redirect actually sent (Entra: with the loopback's port).
    redirect: String,
    verifier: Option<oauth2::PkceCodeVerifier>,
    pub started: Instant,
}

/// How the user answers Microsoft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// An app window on Microsoft's page; the redirect is intercepted there.
    Embedded,
    /// The system browser, answering to the loopback listener.
    Browser,
}

/// What the Install form shows before Sign In.
#[derive(Debug, Clone, Serialize)]
pub struct Preflight {
    pub source: AppSource,
    pub auth_type: String,
    pub client_id: String,
    pub scopes: String,
    pub scope_names: Vec<String>,
    pub callback_url: String,
    /// Own app: the user must confirm the scopes are exactly the registered ones.
    pub needs_scope_confirmation: bool,
    pub warning: Option<String>,
    pub flow: Flow,
    /// Entra: the organization's tenant, found from the organization's URL.
    pub org_tenant: Option<String>,
}

/// What the shell needs to run the sign-in.
#[derive(Debug)]
pub struct SignInStart {
    pub attempt: String,
    pub authorize_url: String,
    /// The navigation to intercept (embedded) — the exact redirect sent.
    pub callback_url: String,
    pub timeout_secs: u64,
    pub flow: Flow,
    /// Browser flow: where the answer arrives.
    pub loopback: Option<Loopback>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    pub installation: Installation,
    pub message: &'static str,
}

/// Why a sign-in ended without an answer.
#[derive(Debug, Clone, Copy)]
pub enum Abort {
    WindowClosed,
    TimedOut,
}

pub const READY_SENTENCE: &str = "The Connector is now authenticated and ready for use.";

fn field_error(field: &str, message: String) -> UiError {
    Error::Fields(vec![crate::library::FieldError { field: field.into(), message }]).to_ui()
}

impl Console {
    /// Validates an install and resolves which app (shared or own) it will use.
    fn resolve(&self, input: &InstallInput) -> Result<Resolved, UiError> {
        let manifest = Self::manifest(&input.connector)?;
        let mut errors = Vec::new();
        let mut located = BTreeMap::new();
        for f in &manifest.install_fields {
            let raw = match f.kind {
                FieldKind::Organization => &input.organization,
                _ => &input.project,
            };
            match validate::field(f.kind, &f.label, raw) {
                Ok(v) => {
                    located.insert(f.id.clone(), v);
                }
                Err(message) => errors.push(crate::library::FieldError { field: f.id.clone(), message }),
            }
        }
        let entry = self.settings.lock().unwrap().library.get(&manifest.id).cloned();
        // Re-authenticating an own-app installation reuses its app unless new details are given.
        let reauth_own = input
            .reauth
            .as_ref()
            .and_then(|id| self.settings.lock().unwrap().installations.iter().find(|i| &i.id == id && i.source == AppSource::Own).cloned());
        let reuse = reauth_own.filter(|_| input.own_app.is_none());
        let (auth_type, values, source) = match (&entry, &input.own_app) {
            _ if reuse.is_some() => {
                let i = reuse.expect("checked");
                (i.auth_type, i.own_app, AppSource::Own)
            }
            (Some(e), _) => (e.auth_type.clone(), e.values.clone(), AppSource::Shared),
            (None, Some(own)) => {
                let as_entry = crate::library::EntryInput {
                    connector: manifest.id.clone(),
                    auth_type: own.auth_type.clone(),
                    values: own.values.clone(),
                    secret: own.secret.clone(),
                };
                match validate_entry(manifest, &as_entry, false) {
                    Ok(v) => (v.auth_type, v.values, AppSource::Own),
                    Err(mut f) => {
                        errors.append(&mut f);
                        (own.auth_type.clone(), BTreeMap::new(), AppSource::Own)
                    }
                }
            }
            (None, None) => {
                errors.push(crate::library::FieldError {
                    field: "client_id".into(),
                    message: "This connector has no shared app in the library, so enter your own app's details.".into(),
                });
                (String::new(), BTreeMap::new(), AppSource::Own)
            }
        };
        if !errors.is_empty() {
            return Err(Error::Fields(errors).to_ui());
        }
        let auth = manifest.auth_type(&auth_type).expect("validated");
        let scopes = parse_scopes(&values["scopes"]).map_err(|e| e.to_ui())?;
        Ok(Resolved {
            connector: manifest.id.clone(),
            organization: located.remove("organization").unwrap_or_default(),
            project: located.remove("project").unwrap_or_default(),
            callback: auth.redirect_for(&values).ok_or_else(|| field_error("service_domain", "Service domain is required.".into()))?,
            client_id: values["client_id"].clone(),
            tenant: values.get("tenant_id").cloned(),
            own_app: if source == AppSource::Own { values } else { BTreeMap::new() },
            auth_type,
            source,
            scopes,
            reauth: input.reauth.clone(),
        })
    }

    /// Checks an install before Sign In: fields, and scopes against the
    /// registration when it is known (from an earlier token response).
    pub async fn install_preflight(&self, input: &InstallInput) -> Result<Preflight, UiError> {
        let r = self.resolve(input)?;
        let legacy = r.auth_type == "legacy";
        let mut warning = recommended_scope_warning(&r.scopes);
        let mut org_tenant = None;
        if !legacy {
            let devops = DevOps { http: self.http(), endpoints: &self.endpoints };
            // Discovery is a convenience: if it fails, sign-in will still tell the truth.
            org_tenant = devops.discover_tenant(&r.organization).await.ok().flatten();
            if let (Some(org_t), Some(app_t)) = (&org_tenant, &r.tenant) {
                if validate::is_guid(app_t) && !org_t.eq_ignore_ascii_case(app_t) {
                    let note = format!("The organization {} belongs to tenant {org_t}, but the app signs in to tenant {app_t}. Sign-in will likely fail: use {org_t} or \"organizations\".", r.organization);
                    warning = Some(warning.map(|w| format!("{note} {w}")).unwrap_or(note));
                }
            }
        }
        if let Some(known) = self.settings.lock().unwrap().known_registrations.get(&r.client_id) {
            let registered = parse_scopes(known).unwrap_or_default();
            if !compare(&r.scopes, &registered).is_exact() {
                let e = explain_invalid_scope(&r.scopes, Some(&registered));
                return Err(Error::InvalidScope {
                    message: format!(
                        "These scopes would be refused by Microsoft. {}",
                        e.message.trim_start_matches("Microsoft refused the sign-in with InvalidScope. ")
                    ),
                    remedy: e.hint,
                }
                .to_ui());
            }
        }
        Ok(Preflight {
            source: r.source,
            auth_type: r.auth_type.clone(),
            client_id: r.client_id.clone(),
            scopes: r.scopes.to_string(),
            scope_names: r.scopes.names(),
            callback_url: r.callback.clone(),
            // Entra has no "exactly the registered set" rule: consent covers what is asked.
            needs_scope_confirmation: r.source == AppSource::Own && legacy,
            warning,
            flow: if legacy || self.settings.lock().unwrap().entra_embedded_window { Flow::Embedded } else { Flow::Browser },
            org_tenant,
        })
    }

    /// Starts a sign-in: one at a time, with a fresh random `state`.
    pub async fn sign_in_begin(&self, input: &InstallInput) -> Result<SignInStart, UiError> {
        self.writable()?;
        let pre = self.install_preflight(input).await?;
        if pre.needs_scope_confirmation && !input.scopes_confirmed && input.reauth.is_none() {
            return Err(field_error(
                "scopes_confirmed",
                "Confirm that these are exactly the Authorized scopes of your app registration.".into(),
            ));
        }
        let r = self.resolve(input)?;
        let secret = match r.source {
            AppSource::Own if input.own_app.is_none() => {
                let store = self.keychain().await?;
                let account = installations::secret_account(input.reauth.as_deref().unwrap_or_default());
                blocking(move || store.get(&account)).await?
            }
            AppSource::Own => {
                input.own_app.as_ref().and_then(|o| o.secret.clone()).filter(|s| !s.is_empty()).map(|s| Secret::new(s.expose().trim()))
            }
            AppSource::Shared => {
                let store = self.keychain().await?;
                let account = library_secret_account(&r.connector);
                blocking(move || store.get(&account)).await?
            }
        };
        if secret.is_none() && r.auth_type == "legacy" {
            return Err(UiError::new(
                "secret_missing",
                "The app's Client Secret is not in the keychain.",
                "Ask the library admin to save the Azure DevOps entry again with its Client Secret.",
            ));
        }
        if self.attempt.lock().unwrap().is_some() {
            return Err(Error::SignInBusy.to_ui());
        }
        let (url, state, verifier, redirect, loopback) = if r.auth_type == "legacy" {
            let (url, state) = legacy::authorize_url(&self.endpoints.vssps, &r.client_id, &r.scopes, &r.callback).map_err(|e| e.to_ui())?;
            (url, state, None, r.callback.clone(), None)
        } else {
            // The loopback reserves the port even for the embedded window, which intercepts it.
            let lb = Loopback::bind().await.map_err(|e| e.to_ui())?;
            let app = r.entra_app(&self.endpoints.login, secret.as_ref());
            let (url, state, verifier) = entra::authorize_url(&app, &lb.redirect_uri).map_err(|e| e.to_ui())?;
            let redirect = lb.redirect_uri.clone();
            (url, state, Some(verifier), redirect, (pre.flow == Flow::Browser).then_some(lb))
        };
        let mut slot = self.attempt.lock().unwrap();
        if slot.is_some() {
            return Err(Error::SignInBusy.to_ui());
        }
        let id = installations::new_id();
        tracing::info!(attempt = %id, org = %r.organization, project = %r.project, auth = %r.auth_type, "sign-in started");
        *slot = Some(Attempt {
            id: id.clone(),
            state: state.secret().clone(),
            resolved: r,
            secret,
            redirect: redirect.clone(),
            verifier,
            started: Instant::now(),
        });
        Ok(SignInStart {
            attempt: id,
            authorize_url: url.to_string(),
            callback_url: redirect,
            timeout_secs: self.settings.lock().unwrap().sign_in_timeout_secs,
            flow: pre.flow,
            loopback,
        })
    }

    /// Browser flow: waits on the loopback for this attempt's one answer.
    pub async fn await_loopback(&self, attempt: &str, loopback: Loopback) -> Option<String> {
        let state = self.attempt.lock().unwrap().as_ref().filter(|a| a.id == attempt).map(|a| a.state.clone())?;
        Some(loopback.accept(&state).await)
    }

    /// Whether Entra sign-ins use an embedded window instead of the browser.
    pub fn set_entra_embedded(&self, embedded: bool) -> Result<(), UiError> {
        self.update_settings(|s| s.entra_embedded_window = embedded)
    }

    pub fn sign_in_timeout_secs(&self) -> u64 {
        self.settings.lock().unwrap().sign_in_timeout_secs
    }

    /// How long a sign-in may wait for Microsoft's answer: 1 minute to 1 hour.
    pub fn set_sign_in_timeout(&self, minutes: u64) -> Result<(), UiError> {
        if !(1..=60).contains(&minutes) {
            return Err(field_error("sign_in_timeout", "Choose between 1 and 60 minutes.".into()));
        }
        self.update_settings(|s| s.sign_in_timeout_secs = minutes * 60)
    }

    fn update_settings(&self, change: impl FnOnce(&mut crate::settings::Settings)) -> Result<(), UiError> {
        self.writable()?;
        let mut next = self.settings.lock().unwrap().clone();
        change(&mut next);
        self.file.save(&next).map_err(|e| e.to_ui())?;
        *self.settings.lock().unwrap() = next;
        Ok(())
    }

    /// Ends the attempt without an answer. Returns the error to show.
    pub fn sign_in_abort(&self, attempt: &str, why: Abort) -> UiError {
        let mut slot = self.attempt.lock().unwrap();
        if slot.as_ref().is_some_and(|a| a.id == attempt) {
            *slot = None;
        }
        let e = match why {
            Abort::WindowClosed => Error::SignInCancelled,
            Abort::TimedOut => Error::SignInTimedOut { minutes: self.settings.lock().unwrap().sign_in_timeout_secs.div_ceil(60) },
        };
        tracing::info!(attempt, code = e.code(), "sign-in ended without an answer");
        e.to_ui()
    }

    /// Takes Microsoft's redirect for the attempt in flight, exchanges the code,
    /// checks the connector is ready, and only then stores anything.
    pub async fn sign_in_finish(&self, attempt_id: &str, callback_url: &str) -> Result<SignedIn, UiError> {
        let attempt = self.attempt.lock().unwrap().take_if(|a| a.id == attempt_id);
        let Some(attempt) = attempt else {
            tracing::warn!(attempt = attempt_id, "a sign-in answer arrived with no matching attempt in flight");
            return Err(Error::StateMismatch.to_ui());
        };
        let url = Url::parse(callback_url).map_err(|_| Error::StateMismatch.to_ui())?;
        let legacy_flow = attempt.resolved.auth_type == "legacy";
        let code = match callback::read_callback(&url, &attempt.state) {
            Ok(code) => code,
            Err(Error::SignInRefused { error, .. }) if legacy_flow && error == "InvalidScope" => {
                return Err(self.invalid_scope(&attempt.resolved).to_ui())
            }
            Err(Error::SignInRefused { error, description }) if !legacy_flow => {
                let description = description.unwrap_or_default();
                let e = if error == "invalid_scope" {
                    let x = explain_entra_invalid_scope(&attempt.resolved.scopes, &description);
                    Error::InvalidScope { message: x.message, remedy: x.hint }
                } else {
                    entra::aadsts(&error, &description)
                };
                tracing::warn!(code = e.code(), "Entra refused the sign-in");
                return Err(e.to_ui());
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "sign-in answer rejected");
                return Err(e.to_ui());
            }
        };
        let r = attempt.resolved;
        let tokens = match (&attempt.secret, attempt.verifier) {
            (Some(secret), _) if legacy_flow => {
                legacy::token(self.http(), &self.endpoints.vssps, secret, &r.callback, legacy::Grant::Code(&code)).await
            }
            (secret, Some(verifier)) => {
                let app = r.entra_app(&self.endpoints.login, secret.as_ref());
                entra::exchange_code(self.http(), &app, &attempt.redirect, &code, verifier).await
            }
            _ => Err(Error::UnexpectedResponse { detail: "the sign-in attempt lost its credentials".into() }),
        }
        .map_err(|e| e.to_ui())?;
        let devops = DevOps { http: self.http(), endpoints: &self.endpoints };
        let ready = devops.ready_check(&tokens.access, &r.organization, &r.project).await.map_err(|e| e.to_ui())?;
        let granted =
            tokens.scope.as_deref().and_then(|s| parse_scopes(s).ok()).filter(|s| !s.is_empty()).unwrap_or_else(|| r.scopes.clone());
        let stored =
            StoredTokens { access: tokens.access.expose().to_string(), refresh: tokens.refresh.as_ref().map(|s| s.expose().to_string()) };
        let installation = self.store_installation(&r, ready, granted, stored, attempt.secret, tokens.expires_in).await?;
        tracing::info!(installation = %installation.id, "sign-in complete; connector ready");
        Ok(SignedIn { installation, message: READY_SENTENCE })
    }

    /// The InvalidScope explanation, with the diff when the registration is known.
    fn invalid_scope(&self, r: &Resolved) -> Error {
        let known = self.settings.lock().unwrap().known_registrations.get(&r.client_id).and_then(|k| parse_scopes(k).ok());
        let e = explain_invalid_scope(&r.scopes, known.as_ref());
        tracing::warn!(client_id = %r.client_id, "Microsoft answered InvalidScope");
        Error::InvalidScope { message: e.message, remedy: e.hint }
    }

    /// Keychain first (tokens, and an own app's secret), then the settings
    /// file; if the file can't be written, the new keychain entries are removed.
    async fn store_installation(
        &self,
        r: &Resolved,
        ready: Ready,
        granted: ScopeSet,
        tokens: StoredTokens,
        secret: Option<Secret>,
        expires_in: u64,
    ) -> Result<Installation, UiError> {
        let _turn = self.writes.lock().await;
        let store = self.keychain().await?;
        let now = now_secs();
        let existing = r.reauth.as_ref().and_then(|id| self.settings.lock().unwrap().installations.iter().find(|i| &i.id == id).cloned());
        let id = existing.as_ref().map(|i| i.id.clone()).unwrap_or_else(installations::new_id);
        let own = r.source == AppSource::Own;
        let (s, tok_acc, sec_acc, tok) =
            (store.clone(), installations::tokens_account(&id), installations::secret_account(&id), tokens.to_secret());
        let previous = blocking(move || {
            let previous = s.get(&tok_acc)?;
            s.set(&tok_acc, &tok)?;
            if let (true, Some(secret)) = (own, &secret) {
                s.set(&sec_acc, secret)?;
            }
            Ok(previous)
        })
        .await?;
        let installation = Installation {
            id: id.clone(),
            connector: r.connector.clone(),
            organization: ready.organization,
            project: ready.project.name,
            project_id: ready.project.id,
            auth_type: r.auth_type.clone(),
            source: r.source,
            own_app: r.own_app.clone(),
            scopes: granted.to_string(),
            user: ready.user,
            access_expires_at: now + expires_in,
            access_lifetime_secs: expires_in,
            last_refreshed_at: None,
            created_at: existing.as_ref().map(|i| i.created_at).unwrap_or(now),
            needs_reauth: None,
        };
        let mut next = self.settings.lock().unwrap().clone();
        next.installations.retain(|i| i.id != id);
        next.installations.push(installation.clone());
        // A legacy token response's scopes are the registration's Authorized scopes.
        if r.auth_type == "legacy" {
            next.known_registrations.insert(r.client_id.clone(), granted.to_string());
        }
        if let Err(e) = self.file.save(&next) {
            let (s, tok_acc, sec_acc) = (store.clone(), installations::tokens_account(&id), installations::secret_account(&id));
            let new_install = existing.is_none();
            let undo = blocking(move || {
                match previous {
                    Some(p) => s.set(&tok_acc, &p)?,
                    None => s.delete(&tok_acc)?,
                }
                if own && new_install {
                    s.delete(&sec_acc)?;
                }
                Ok(())
            })
            .await;
            if let Err(u) = undo {
                tracing::error!(error = %u.message, "could not undo keychain writes after a failed save");
            }
            return Err(e.to_ui());
        }
        *self.settings.lock().unwrap() = next;
        self.forget_runtime_state(&id);
        self.set_status(&id, crate::lifecycle::Status::Connected);
        Ok(installation)
    }

    pub fn installations(&self) -> Vec<Installation> {
        self.settings.lock().unwrap().installations.clone()
    }

    /// Removes an installation: keychain entries first (so a keychain that is
    /// down changes nothing), then the metadata. Safe to repeat.
    pub async fn uninstall(&self, id: &str) -> Result<(), UiError> {
        self.writable()?;
        let store = self.keychain().await?;
        let (s, tokens, secret) = (store.clone(), installations::tokens_account(id), installations::secret_account(id));
        blocking(move || {
            s.delete(&tokens)?;
            s.delete(&secret)
        })
        .await?;
        let _turn = self.writes.lock().await;
        let mut next = self.settings.lock().unwrap().clone();
        next.installations.retain(|i| i.id != id);
        self.file.save(&next).map_err(|e| e.to_ui())?;
        *self.settings.lock().unwrap() = next;
        self.forget_runtime_state(id);
        tracing::info!(installation = id, "uninstalled");
        Ok(())
    }

    /// Runs the ready-for-use check again with a current token.
    pub async fn test_connection(&self, id: &str) -> Result<String, UiError> {
        let i =
            self.installations().into_iter().find(|i| i.id == id).ok_or_else(|| Error::NotFound(format!("installation {id}")).to_ui())?;
        let token = self.access_token(id).await?;
        let devops = DevOps { http: self.http(), endpoints: &self.endpoints };
        let ready = devops.ready_check(&token, &i.organization, &i.project).await.map_err(|e| e.to_ui())?;
        Ok(format!("Connected as {} to {} / {}.", ready.user.display_name, ready.organization, ready.project.name))
    }
}
