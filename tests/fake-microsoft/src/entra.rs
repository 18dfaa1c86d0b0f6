//! Microsoft Entra ID v2.0 (login.microsoftonline.com/{tenant}/oauth2/v2.0/...):
//! auth code with PKCE S256, resource-prefixed scopes, loopback redirects.

use std::collections::HashMap;
use std::time::Instant;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::aadsts::{conditional_access_text, redirect_error, token_error};
use crate::world::{CodeGrant, EntraApp, Flow, Grant, ADO_RESOURCE};
use crate::{jwt, pages, random_token, revocation, scopes, tenants, token_gate, Shared};

type Params = HashMap<String, String>;

fn param<'a>(p: &'a Params, k: &str) -> &'a str {
    p.get(k).map(String::as_str).unwrap_or("")
}

const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// Loopback redirects match on any port; everything else matches exactly.
/// A registered URI without a path stands for "/" (Entra adds the slash).
pub fn redirect_matches(registered: &str, sent: &str) -> bool {
    if registered == sent {
        return true;
    }
    let (Ok(reg), Ok(got)) = (url::Url::parse(registered), url::Url::parse(sent)) else { return false };
    let loopback = |u: &url::Url| u.scheme() == "http" && matches!(u.host_str(), Some("localhost") | Some("127.0.0.1"));
    loopback(&reg) && loopback(&got) && reg.host_str() == got.host_str() && reg.path() == got.path() && reg.query() == got.query()
}

/// Parsed `scope`: Azure DevOps scopes without the prefix, and whether
/// `offline_access` was asked for. Errors are (AADSTS code, error, text).
fn parse_scope(app: &EntraApp, raw: &str) -> Result<(Vec<String>, bool), (&'static str, u32, String)> {
    let mut ado = Vec::new();
    let mut offline = false;
    let mut default = false;
    for s in raw.split_whitespace() {
        if OIDC_SCOPES.contains(&s) {
            offline |= s == "offline_access";
            continue;
        }
        let Some(rest) = s.strip_prefix(ADO_RESOURCE).and_then(|r| r.strip_prefix('/')) else {
            // A bare `vso.work` is read as a Microsoft Graph scope, which doesn't exist.
            return Err((
                "invalid_scope",
                70011,
                format!("The provided value for the input parameter 'scope' isn't valid. The scope '{s}' does not exist."),
            ));
        };
        if rest == ".default" {
            default = true;
        } else if scopes::is_known(rest) {
            ado.push(rest.to_string());
        } else {
            return Err((
                "invalid_scope",
                70011,
                format!("The provided value for the input parameter 'scope' isn't valid. The scope '{s}' does not exist."),
            ));
        }
    }
    if default && !ado.is_empty() {
        return Err(("invalid_scope", 70011, "The provided value for the input parameter 'scope' isn't valid. .default scope can't be combined with resource-specific scopes.".into()));
    }
    if default {
        return Ok((app.permissions.clone(), offline));
    }
    if ado.is_empty() {
        return Err((
            "invalid_scope",
            70011,
            "The provided value for the input parameter 'scope' isn't valid. No Azure DevOps scope was requested.".into(),
        ));
    }
    // Dynamic consent: a delegated scope the registration doesn't list is asked for on the consent
    // page like the others. Only a registration that lists no Azure DevOps permission at all (the
    // resource isn't configured) is refused with 650057 (permissions-consent-overview; the error
    // names the resource).
    if app.permissions.is_empty() {
        return Err(("invalid_client", 650057, format!("Invalid resource. The client has requested access to a resource which isn't listed in the requested permissions in the client's application registration: {ADO_RESOURCE}.")));
    }
    Ok((ado, offline))
}

/// What an authorize request is for, once it is known to be safe to redirect.
struct Checked {
    app: EntraApp,
    redirect: String,
    scopes: Vec<String>,
    offline: bool,
}

fn check(shared: &Shared, tenant: &str, p: &Params) -> Result<Checked, Response> {
    let world = shared.lock().unwrap();
    let app = match world.entra_app(param(p, "client_id")) {
        Some(app) if tenants::single_tenant_at_shared_endpoint(app, tenant) => {
            return Err(pages::error_page(StatusCode::BAD_REQUEST, "AADSTS50194", tenants::AADSTS50194));
        }
        Some(app) if tenants::app_signs_in_at(&world, app, tenant) => app.clone(),
        _ => {
            return Err(pages::error_page(
                StatusCode::BAD_REQUEST,
                "AADSTS700016",
                &format!("Application with identifier '{}' was not found in the directory '{tenant}'.", param(p, "client_id")),
            ))
        }
    };
    let redirect = param(p, "redirect_uri").to_string();
    if !app.redirect_uris.iter().any(|r| redirect_matches(r, &redirect)) {
        return Err(pages::error_page(
            StatusCode::BAD_REQUEST,
            "AADSTS50011",
            &format!("The redirect URI '{redirect}' specified in the request does not match the redirect URIs configured for the application '{}'.", app.client_id),
        ));
    }
    let state = param(p, "state");
    if param(p, "response_type") != "code" {
        return Err(redirect_error(
            &redirect,
            "unsupported_response_type",
            700054,
            "response_type is not enabled for the application.",
            state,
        ));
    }
    // Microsoft requires PKCE of public clients (and SPAs, AADSTS9002325); a confidential
    // client may use it and then must use S256 here. Entra v2 auth code flow:
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
    let pkce = !param(p, "code_challenge").is_empty();
    if (app.client_secret.is_none() && !pkce) || (pkce && param(p, "code_challenge_method") != "S256") {
        return Err(redirect_error(&redirect, "invalid_request", 9002325, "Proof Key for Code Exchange (S256) is required.", state));
    }
    match parse_scope(&app, param(p, "scope")) {
        Ok((scopes, offline)) => Ok(Checked { app, redirect, scopes, offline }),
        Err((error, code, text)) => Err(redirect_error(&redirect, error, code, &text, state)),
    }
}

pub async fn authorize(State(shared): State<Shared>, Path(tenant): Path<String>, Query(p): Query<Params>) -> Response {
    shared.lock().unwrap().authorize_requests.push(p.clone());
    let checked = match check(&shared, &tenant, &p) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let world = shared.lock().unwrap();
    let action = format!("/login/{}/oauth2/v2.0/authorize", pages::escape(&tenant));
    let keys = ["client_id", "redirect_uri", "scope", "state", "response_type", "code_challenge", "code_challenge_method"];
    pages::consent(pages::Consent {
        title: "Microsoft: permissions requested",
        app_name: &checked.app.name,
        scope_names: checked.scopes.iter().map(|s| scopes::ui_name(s)).collect(),
        users: &world.users,
        default_user: world.default_user.as_deref(),
        fields: keys.iter().map(|k| (*k, param(&p, k))).collect(),
        action: &action,
    })
}

pub async fn decide(State(shared): State<Shared>, Path(tenant): Path<String>, Form(p): Form<Params>) -> Response {
    let checked = match check(&shared, &tenant, &p) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let state = param(&p, "state");
    if param(&p, "decision") != "accept" {
        return redirect_error(&checked.redirect, "access_denied", 65004, "User declined to consent to access the app.", state);
    }
    let mut world = shared.lock().unwrap();
    if world.user(param(&p, "user")).is_none() {
        return pages::error_page(StatusCode::BAD_REQUEST, "AADSTS50034", "The user account does not exist.");
    }
    // Conditional Access ends an interactive sign-in with access_denied and the AADSTS code
    // in error_description (reference-error-codes; Conditional Access troubleshooting).
    if let Some(code) = world.conditional_access {
        return redirect_error(&checked.redirect, "access_denied", code, conditional_access_text(code), state);
    }
    // A tenant that lets only admins consent refuses the user's consent (tenants.rs).
    let consent_tenant = tenants::token_tenant(&world, &tenant, param(&p, "user"));
    if !tenants::user_may_consent(&world, &checked.app, &consent_tenant) {
        return redirect_error(&checked.redirect, "consent_required", 90094, "The grant requires admin permission.", state);
    }
    let code = random_token("entc");
    world.codes.insert(
        code.clone(),
        CodeGrant {
            flow: Flow::Entra,
            client_id: checked.app.client_id.to_ascii_lowercase(),
            user_id: param(&p, "user").to_string(),
            scopes: checked.scopes,
            redirect_uri: checked.redirect.clone(),
            code_challenge: Some(param(&p, "code_challenge").to_string()).filter(|c| !c.is_empty()),
            offline_access: checked.offline,
            issued: Instant::now(),
            cp1: revocation::declares_cp1(param(&p, "claims")),
        },
    );
    let mut url = url::Url::parse(&checked.redirect).expect("checked");
    url.query_pairs_mut().append_pair("code", &code).append_pair("state", state);
    crate::found(url.as_str())
}

fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub async fn token(State(shared): State<Shared>, Path(tenant): Path<String>, Form(p): Form<Params>) -> Response {
    if let Some(early) = token_gate(&shared).await {
        return early;
    }
    let mut world = shared.lock().unwrap();
    let app = match world.entra_app(param(&p, "client_id")) {
        Some(app) if tenants::single_tenant_at_shared_endpoint(app, &tenant) => {
            return token_error(StatusCode::BAD_REQUEST, "invalid_request", 50194, tenants::AADSTS50194);
        }
        Some(app) if tenants::app_signs_in_at(&world, app, &tenant) => app.clone(),
        _ => return token_error(StatusCode::BAD_REQUEST, "unauthorized_client", 700016, "Application was not found in the directory."),
    };
    // At the token endpoint Conditional Access answers interaction_required with its code.
    if let Some(code) = world.conditional_access {
        return token_error(StatusCode::BAD_REQUEST, "interaction_required", code, conditional_access_text(code));
    }
    let presented = p.get("client_secret").or_else(|| p.get("client_assertion"));
    match (&app.client_secret, presented) {
        (None, Some(_)) => {
            return token_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                700025,
                "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
            )
        }
        (Some(_), None) => {
            return token_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            )
        }
        (Some(expected), Some(got)) if expected != got => {
            return token_error(StatusCode::UNAUTHORIZED, "invalid_client", 7000215, "Invalid client secret provided.")
        }
        // reference-error-codes: InvalidClientSecretExpiredKeysProvided.
        (Some(_), Some(_)) if app.client_secret_expired => {
            return token_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000222,
                "InvalidClientSecretExpiredKeysProvided - The provided client secret keys are expired.",
            )
        }
        _ => {}
    }
    let client_id = app.client_id.to_ascii_lowercase();
    world.token_claims.push(param(&p, "claims").to_string());
    let mut still_challenged = false;
    let grant = match param(&p, "grant_type") {
        "authorization_code" => {
            let Some(code) = world.codes.remove(param(&p, "code")) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    54005,
                    "OAuth2 Authorization code was already redeemed or is not valid.",
                );
            };
            if code.flow != Flow::Entra || code.client_id != client_id {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70000,
                    "The provided authorization code was not issued to this client.",
                );
            }
            if code.issued.elapsed() > world.lifetimes.code {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired.",
                );
            }
            if param(&p, "redirect_uri") != code.redirect_uri {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    // AADSTS50011 at the token endpoint too (500112 is no Microsoft code):
                    // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
                    50011,
                    "The redirect URI specified in the request does not match the redirect URIs configured for the application.",
                );
            }
            // Without a challenge at authorize (a confidential client), no verifier is checked.
            if code.code_challenge.as_ref().is_some_and(|expected| s256(param(&p, "code_verifier")) != *expected) {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                );
            }
            let tenant = tenants::token_tenant(&world, &tenant, &code.user_id);
            Grant {
                flow: Flow::Entra,
                client_id,
                user_id: code.user_id,
                scopes: code.scopes,
                offline_access: code.offline_access,
                expires: None,
                tenant: Some(tenant),
                cp1: code.cp1,
            }
        }
        "refresh_token" => {
            let presented = param(&p, "refresh_token").to_string();
            if world.cae_ended_sessions.contains(&presented) {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    50173,
                    "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
                );
            }
            let Some(old) = world.refresh_tokens.remove(&presented) else {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity or was revoked.",
                );
            };
            if old.flow != Flow::Entra || old.client_id != client_id {
                world.refresh_tokens.insert(presented, old);
                return token_error(StatusCode::BAD_REQUEST, "invalid_grant", 70000, "The refresh token was not issued to this client.");
            }
            // Real Entra keeps the old token alive for a while; the fake kills
            // it at once (stricter), so a client that forgets to store the new one fails.
            world.dead_refresh_tokens.insert(presented.clone());
            // Under a CAE challenge only a request with the challenge's claims clears it.
            if world.cae_challenged.remove(&presented) && !revocation::answers_challenge(param(&p, "claims")) {
                still_challenged = true;
            }
            old
        }
        _ => return token_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."),
    };
    let lifetime = world.lifetimes.access_token;
    let access = jwt::access_token(&world, &grant, lifetime);
    let mut scope: Vec<String> = grant.scopes.iter().map(|s| format!("{ADO_RESOURCE}/{s}")).collect();
    let mut body = json!({
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs().saturating_sub(1),
        "ext_expires_in": lifetime.as_secs().saturating_sub(1),
        "access_token": access,
    });
    world.access_tokens.insert(access.clone(), Grant { expires: Some(Instant::now() + lifetime), ..grant.clone() });
    if still_challenged {
        world.cae_revoked.insert(access);
    }
    if grant.offline_access {
        let refresh = random_token("entr");
        body["refresh_token"] = json!(refresh);
        scope.push("offline_access".into());
        if still_challenged {
            world.cae_challenged.insert(refresh.clone());
        }
        world.refresh_tokens.insert(refresh, grant);
    }
    body["scope"] = json!(scope.join(" "));
    Json(body).into_response()
}
