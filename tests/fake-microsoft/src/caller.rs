//! Who is calling Azure DevOps, checked the way the real service does: throttling, the
//! api-version, the token (rejected, challenged under CAE, or from another tenant), the scope,
//! the organization's policy and membership.

use std::collections::HashMap;
use std::time::Instant;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use crate::devops::vss_error;
use crate::world::{Flow, Grant, RestFault, World};
use crate::{pages, scopes};

type Params = HashMap<String, String>;

/// A rejected (expired, revoked, unknown) token: the sign-in page (HTTP 203), unless the
/// client asked for no redirect with `X-TFS-FedAuthRedirect: Suppress`, which gets a 401
/// whose JSON body is `TF400813` naming no user (azure-devops-auth-samples#52,
/// azure-devops-mcp#138; docs/microsoft.md).
fn rejected(headers: &HeaderMap) -> Response {
    let suppress = headers.get("x-tfs-fedauthredirect").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("suppress"));
    if suppress {
        let mut r = vss_error(
            StatusCode::UNAUTHORIZED,
            "TF400813: The user '' is not authorized to access this resource.",
            "UnauthorizedRequestException",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, "Bearer authorization_uri=https://login.microsoftonline.com/common".parse().unwrap());
        r
    } else {
        pages::sign_in_203()
    }
}

/// Who is calling, checked the way the real service does, in this order:
/// throttling, api-version, token (203 page or 401 if rejected), scope,
/// organization policy and membership. A missing scope, a non-member and the
/// policy all answer the same generic `TF400813`, as Azure DevOps does.
pub fn caller(world: &mut World, headers: &HeaderMap, q: &Params, any_of: &[&str], org: Option<&str>) -> Result<Grant, Response> {
    if headers.contains_key(header::AUTHORIZATION) {
        world.rest_requests += 1;
        if let Some(fault) = world.rest_faults.pop_front() {
            let (status, secs) = match fault {
                RestFault::TooManyRequests { retry_after_secs } => (StatusCode::TOO_MANY_REQUESTS, retry_after_secs),
                RestFault::Unavailable { retry_after_secs } => (StatusCode::SERVICE_UNAVAILABLE, retry_after_secs),
                // Answered normally, with headers asking the client to slow down (added by `slow_down`).
                RestFault::SlowDown { retry_after_secs } => {
                    world.answer_headers = vec![("Retry-After".into(), retry_after_secs.to_string())];
                    return caller(world, headers, q, any_of, org);
                }
                RestFault::RateLimited { delay_ms } => {
                    world.answer_headers = vec![
                        ("X-RateLimit-Resource".into(), "Core".into()),
                        ("X-RateLimit-Delay".into(), format!("{:.3}", delay_ms as f64 / 1000.0)),
                        ("X-RateLimit-Limit".into(), "200".into()),
                        ("X-RateLimit-Remaining".into(), "0".into()),
                        ("X-RateLimit-Reset".into(), "1767225600".into()),
                    ];
                    return caller(world, headers, q, any_of, org);
                }
            };
            return Err((status, [("Retry-After", secs.to_string())], "Request was throttled.").into_response());
        }
    }
    if q.get("api-version").is_none_or(|v| v.is_empty()) {
        return Err(vss_error(
            StatusCode::BAD_REQUEST,
            "No api-version was supplied for the request. An api-version must be supplied.",
            "VssVersionNotSpecifiedException",
        ));
    }
    // A version the service doesn't know is refused, not ignored (vsts-rest-api-specs: 7.2 is
    // the newest Services version; "-preview[.n]" is allowed on any).
    let version = q.get("api-version").map(String::as_str).unwrap_or_default();
    let number = version.split("-preview").next().unwrap_or_default();
    let known = number.split_once('.').is_some_and(|(major, minor)| {
        matches!((major.parse::<u32>(), minor.parse::<u32>()), (Ok(ma), Ok(mi)) if (1..=7).contains(&ma) && (ma < 7 || mi <= 2))
    });
    if !known {
        return Err(vss_error(
            StatusCode::BAD_REQUEST,
            &format!("The requested REST API version of {version} is out of range for this server. The latest REST API version this server supports is 7.2."),
            "VssVersionOutOfRangeException",
        ));
    }
    // 7.2 of these resources is preview-only: without `-preview` it is refused (rest-api-versioning).
    if number == "7.2" && !version.contains("-preview") {
        return Err(vss_error(
            StatusCode::BAD_REQUEST,
            "The requested version of the resource is under preview. The -preview flag must be supplied in the api-version for such requests.",
            "VssInvalidPreviewVersionException",
        ));
    }
    // Only `Bearer` works; the `jwt-bearer` token_type as a scheme gets the sign-in page.
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let grant = token.and_then(|t| world.access_tokens.get(t)).filter(|g| g.expires.is_none_or(|e| Instant::now() < e));
    // Continuous Access Evaluation: a revoked token of a CP1 client gets a claims challenge
    // (401 + WWW-Authenticate error="insufficient_claims"); any other client just a rejection.
    if let Some(t) = token.filter(|t| world.cae_revoked.contains(*t)) {
        return Err(if world.access_tokens.get(t).is_some_and(|g| g.cp1) { claims_challenge() } else { rejected(headers) });
    }
    let Some(grant) = grant.cloned() else { return Err(rejected(headers)) };
    let not_authorized = |user: &str| {
        vss_error(
            StatusCode::UNAUTHORIZED,
            &format!("TF400813: The user '{user}' is not authorized to access this resource."),
            "UnauthorizedRequestException",
        )
    };
    if !scopes::allows(&grant.scopes, any_of) {
        return Err(not_authorized(&grant.user_id));
    }
    if let Some(org) = org {
        let Some(o) = world.organization(org) else {
            return Err(vss_error(
                StatusCode::NOT_FOUND,
                &format!("VS800075: The organization '{org}' does not exist."),
                "AccountNotFoundException",
            ));
        };
        // An Entra token issued by another tenant than the organization's (its `tid`: a guest
        // signed in at home, the wrong Tenant ID, an organization moved to another directory)
        // answers TF400813 naming the user (microsoft/azure-devops-mcp docs/TROUBLESHOOTING.md,
        // issues #369 and #413), the words of a missing scope or membership; Microsoft answers
        // some with VS30063 (azure-devops-docs#1807), which a scenario may ask for.
        if grant.tenant.as_ref().is_some_and(|t| !t.eq_ignore_ascii_case(&o.tenant_id)) {
            if world.cross_tenant_vs30063 {
                return Err(vss_error(
                    StatusCode::UNAUTHORIZED,
                    "VS30063: You are not authorized to access https://dev.azure.com.",
                    "UnauthorizedRequestException",
                ));
            }
            return Err(not_authorized(&grant.user_id));
        }
        let member = world.user(&grant.user_id).is_some_and(|u| u.organizations.iter().any(|n| n.eq_ignore_ascii_case(&o.name)));
        // The policy blocks legacy Azure DevOps OAuth apps only, never Entra apps.
        if (grant.flow == Flow::Legacy && !o.third_party_oauth) || !member {
            return Err(not_authorized(&grant.user_id));
        }
    }
    Ok(grant)
}

/// The claims challenge Azure DevOps sends for a token revoked under CAE: the client must
/// sign in again asking for these claims ("Real-time security with CAE", Azure DevOps blog).
fn claims_challenge() -> Response {
    let claims = base64::engine::general_purpose::STANDARD.encode(r#"{"access_token":{"nbf":{"essential":true,"value":"1764547200"}}}"#);
    let mut r = vss_error(
        StatusCode::UNAUTHORIZED,
        "TF400813: The user '' is not authorized to access this resource.",
        "UnauthorizedRequestException",
    );
    let value = format!(
        r#"Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{claims}""#
    );
    r.headers_mut().insert(header::WWW_AUTHENTICATE, value.parse().unwrap());
    r
}
