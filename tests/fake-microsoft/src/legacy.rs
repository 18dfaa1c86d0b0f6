//! Legacy Azure DevOps OAuth (app.vssps.visualstudio.com): `response_type=Assertion`,
//! the JWT-bearer token request, PascalCase error bodies, `expires_in` as a string.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::json;

use crate::world::{CodeGrant, Flow, Grant};
use crate::{pages, random_token, scopes, token_gate, Shared};

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

type Params = HashMap<String, String>;

fn param<'a>(p: &'a Params, k: &str) -> &'a str {
    p.get(k).map(String::as_str).unwrap_or("")
}

fn redirect_with(callback: &str, pairs: &[(&str, &str)]) -> Response {
    let mut url = url::Url::parse(callback).expect("registered callbacks are valid URLs");
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    crate::found(url.as_str())
}

fn scope_set(s: &str) -> BTreeSet<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// Checks that can't safely redirect: they answer with Microsoft's 400 page.
fn check_app(shared: &Shared, p: &Params) -> Result<(String, String, Vec<String>), Response> {
    let world = shared.lock().unwrap();
    let Some(app) = world.legacy_app(param(p, "client_id")) else {
        return Err(pages::error_page(StatusCode::BAD_REQUEST, "400", "The client_id is not a registered application."));
    };
    // The callback must match the registration exactly, scheme and case included.
    if param(p, "redirect_uri") != app.callback_url {
        return Err(pages::error_page(
            StatusCode::BAD_REQUEST,
            "400",
            "The redirect_uri does not match the Authorization callback URL registered for this application.",
        ));
    }
    // Only `Assertion` is documented; what Microsoft does with `code` is
    // UNCONFIRMED, so the stricter behaviour (an error page) is modelled.
    if param(p, "response_type") != "Assertion" {
        return Err(pages::error_page(StatusCode::BAD_REQUEST, "400", "response_type must be Assertion."));
    }
    Ok((app.name.clone(), app.callback_url.clone(), app.scopes.clone()))
}

pub async fn authorize(State(shared): State<Shared>, Query(p): Query<Params>) -> Response {
    let (name, callback, registered) = match check_app(&shared, &p) {
        Ok(v) => v,
        Err(page) => return page,
    };
    let requested = scope_set(param(&p, "scope"));
    if requested != registered.iter().cloned().collect::<BTreeSet<_>>() {
        // Observed: `?error=InvalidScope` with neither a description nor `state`
        // (the one real redirect on record: microsoft/azure-devops-auth-samples#86).
        return redirect_with(&callback, &[("error", "InvalidScope")]);
    }
    let world = shared.lock().unwrap();
    pages::consent(pages::Consent {
        title: "Azure DevOps: authorize application",
        app_name: &name,
        scope_names: requested.iter().map(|s| scopes::ui_name(s)).collect(),
        users: &world.users,
        default_user: world.default_user.as_deref(),
        fields: ["client_id", "redirect_uri", "scope", "state", "response_type"].iter().map(|k| (*k, param(&p, k))).collect(),
        action: "/oauth2/authorize",
    })
}

/// The consent form's POST: Accept issues a code, Deny says `access_denied`.
pub async fn decide(State(shared): State<Shared>, Form(p): Form<Params>) -> Response {
    let (_, callback, registered) = match check_app(&shared, &p) {
        Ok(v) => v,
        Err(page) => return page,
    };
    let state = param(&p, "state");
    if param(&p, "decision") != "accept" {
        return redirect_with(&callback, &[("error", "access_denied"), ("state", state)]);
    }
    let mut world = shared.lock().unwrap();
    if world.user(param(&p, "user")).is_none() {
        return pages::error_page(StatusCode::BAD_REQUEST, "400", "Unknown account.");
    }
    let code = random_token("vsoc");
    world.codes.insert(
        code.clone(),
        CodeGrant {
            flow: Flow::Legacy,
            client_id: param(&p, "client_id").to_ascii_lowercase(),
            user_id: param(&p, "user").to_string(),
            scopes: registered,
            redirect_uri: callback.clone(),
            code_challenge: None,
            offline_access: true,
            issued: Instant::now(),
            cp1: false,
        },
    );
    redirect_with(&callback, &[("code", &code), ("state", state)])
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    (status, Json(json!({ "Error": code, "ErrorDescription": description }))).into_response()
}

pub async fn token(State(shared): State<Shared>, headers: HeaderMap, body: String) -> Response {
    if let Some(early) = token_gate(&shared).await {
        return early;
    }
    // A missing or wrong Content-Type is the documented cause of a bare HTTP 400.
    let form_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return (StatusCode::BAD_REQUEST, "Bad Request").into_response();
    }
    let p: Params = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    if param(&p, "client_assertion_type") != ASSERTION_TYPE {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "client_assertion_type is missing or invalid.");
    }
    let mut world = shared.lock().unwrap();
    let assertion = param(&p, "client_assertion");
    let Some(app) =
        world.legacy_apps.iter().find(|a| a.client_secret == assertion || a.overlapping_secret.as_deref() == Some(assertion)).cloned()
    else {
        // The App Secret (or anything else that is not the Client Secret JWT) fails here.
        return error(StatusCode::BAD_REQUEST, "invalid_client", "Failed to deserialize the JsonWebToken object.");
    };
    // An expired Client Secret (60 days by default since 2025) fails every token request,
    // refreshes included; a new sign-in can't help, a new secret does. The wording of
    // Microsoft's description is not documented; the error code is what matters.
    if app.secret_expired && app.client_secret == assertion {
        return error(StatusCode::UNAUTHORIZED, "invalid_client", "The client secret has expired.");
    }
    match p.get("redirect_uri") {
        None => return error(StatusCode::BAD_REQUEST, "invalid_request", "redirect_uri is required."),
        Some(r) if *r != app.callback_url => {
            return error(StatusCode::BAD_REQUEST, "invalid_request", "redirect_uri does not match the registered callback URL.")
        }
        Some(_) => {}
    }
    let grant = match param(&p, "grant_type") {
        JWT_BEARER_GRANT => {
            // The exact `Error` values for a bad code are UNCONFIRMED; `invalid_grant` is the standard one.
            let Some(code) = world.codes.remove(param(&p, "assertion")) else {
                return error(StatusCode::BAD_REQUEST, "invalid_grant", "The authorization code is invalid or was already used.");
            };
            if code.flow != Flow::Legacy || code.client_id != app.app_id.to_ascii_lowercase() {
                return error(StatusCode::BAD_REQUEST, "invalid_grant", "The authorization code was not issued to this application.");
            }
            if code.issued.elapsed() > world.lifetimes.code {
                return error(StatusCode::BAD_REQUEST, "invalid_grant", "The authorization code has expired.");
            }
            Grant {
                flow: Flow::Legacy,
                client_id: code.client_id,
                user_id: code.user_id,
                scopes: code.scopes,
                offline_access: true,
                expires: None,
                tenant: None,
                cp1: false,
            }
        }
        "refresh_token" => {
            // The refresh token travels in `assertion`, not `refresh_token`.
            let Some(old) = world.refresh_tokens.remove(param(&p, "assertion")) else {
                return error(StatusCode::BAD_REQUEST, "invalid_grant", "The refresh token is invalid, expired or revoked.");
            };
            if old.flow != Flow::Legacy || old.client_id != app.app_id.to_ascii_lowercase() {
                world.refresh_tokens.insert(param(&p, "assertion").to_string(), old);
                return error(StatusCode::BAD_REQUEST, "invalid_grant", "The refresh token was not issued to this application.");
            }
            // Minted with a secret that has since expired or been regenerated: dead with it.
            let minted_with = world.legacy_minted_with.get(param(&p, "assertion")).cloned().unwrap_or_default();
            let still_valid = (minted_with == app.client_secret && !app.secret_expired)
                || app.overlapping_secret.as_deref() == Some(minted_with.as_str());
            if !still_valid {
                return error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token was issued with a client secret that has expired or was regenerated.",
                );
            }
            // Rotation: whether Microsoft kills the old token at once is
            // UNCONFIRMED; the fake does, so clients must store the new one.
            world.dead_refresh_tokens.insert(param(&p, "assertion").to_string());
            old
        }
        _ => return error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "grant_type is not supported."),
    };
    let lifetime = world.lifetimes.access_token;
    let access = random_token("vsoa");
    let refresh = random_token("vsor");
    let scope = grant.scopes.join(" ");
    world.access_tokens.insert(access.clone(), Grant { expires: Some(Instant::now() + lifetime), ..grant.clone() });
    world.legacy_minted_with.insert(refresh.clone(), assertion.to_string());
    world.refresh_tokens.insert(refresh.clone(), grant);
    Json(json!({
        "access_token": access,
        "token_type": "jwt-bearer",
        // A string, as the real service sends it ("3599").
        "expires_in": lifetime.as_secs().saturating_sub(1).to_string(),
        "refresh_token": refresh,
        "scope": scope,
    }))
    .into_response()
}
