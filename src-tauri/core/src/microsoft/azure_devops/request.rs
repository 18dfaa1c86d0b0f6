//! One Azure DevOps REST request, the way Microsoft's own client sends it
//! (`X-TFS-FedAuthRedirect: Suppress`, `Accept: application/json`), with the
//! service's failure shapes mapped to errors that say what to fix:
//! a rejected token (401, 203, an HTML page, a redirect), the generic
//! `TF400813` explained from the token's tenant and what the installation was granted, `TF200016`,
//! `VS403474`, and 429/503 with `Retry-After` waited out within a bound.

use std::time::Duration;

use serde_json::Value;

use super::{DevOps, OrgTenant};
use crate::error::Error;
use crate::microsoft::http::network_error;
use crate::microsoft::oauth::jwt_claims::issuing_tenant;
use crate::model::registration::AuthKind;
use crate::model::scopes::{catalog, ScopeSet};
use crate::secret::AccessToken;

/// What an installation was granted, to explain a `TF400813`.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub kind: AuthKind,
    pub granted: &'a ScopeSet,
}

/// What one call is, for its errors.
pub struct Call<'a> {
    /// The call works when any one of these is granted.
    pub needs: &'a [&'a str],
    pub org: &'a str,
    /// Set when a 404 means "no such project".
    pub project: Option<&'a str>,
}

/// The longest single `Retry-After` honoured, and the most waits per request.
pub const MAX_WAIT_SECS: u64 = 30;
const MAX_WAITS: usize = 3;

/// Why `TF400813` came back, from what was granted: a missing scope is named;
/// only a legacy token whose scopes cover the call points at the org policy.
pub fn explain_unauthorized(access: Access<'_>, needs: &[&str], org: &str) -> Error {
    let covered = needs.is_empty() || access.granted.is_default() || needs.iter().any(|s| access.granted.grants(s));
    if !covered {
        let name = |s: &str| format!("{} ({s})", catalog().name_of(s));
        let has = if access.granted.is_empty() { "no scopes".to_string() } else { access.granted.names().join(", ") };
        return Error::ScopeMissing { needs: needs.iter().map(|s| name(s)).collect::<Vec<_>>().join(" or "), has };
    }
    match access.kind {
        AuthKind::Legacy => Error::OAuthDisabledByOrg { org: org.to_string() },
        AuthKind::Entra => Error::NotAuthorized { org: org.to_string() },
    }
}

fn header_secs(resp: &reqwest::Response, name: &str) -> Option<u64> {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok()).map(|s| s.max(0.0).ceil() as u64)
}

fn retry_after(resp: &reqwest::Response) -> u64 {
    // Seconds is what Azure DevOps sends; an HTTP date or nothing gets a short default.
    header_secs(resp, "retry-after").unwrap_or(5)
}

/// Azure DevOps asks a client to slow down on *successful* answers too: `Retry-After`,
/// or `X-RateLimit-Delay` (seconds it already delayed this request) with
/// `X-RateLimit-Remaining` at 0 ("Rate and usage limits" on Microsoft Learn).
/// The wait before this client's next request, if any.
fn slow_down(resp: &reqwest::Response) -> Option<u64> {
    if let Some(secs) = header_secs(resp, "retry-after") {
        return Some(secs);
    }
    let delayed = header_secs(resp, "x-ratelimit-delay").filter(|s| *s > 0);
    let exhausted = header_secs(resp, "x-ratelimit-remaining") == Some(0);
    delayed.or(exhausted.then_some(1))
}

/// A Continuous Access Evaluation challenge: `WWW-Authenticate: Bearer …
/// error="insufficient_claims", claims="<base64>"`. Returns the claims.
pub fn claims_challenge(www_authenticate: &str) -> Option<String> {
    if !www_authenticate.contains("insufficient_claims") {
        return None;
    }
    let rest = &www_authenticate[www_authenticate.find("claims=\"")? + "claims=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The user named by a `TF400813` message ("The user '…' is not authorized"):
/// empty when Azure DevOps did not accept the token at all.
fn tf400813_user(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("TF400813")?;
    let start = rest.find('\'')? + 1;
    let len = rest[start..].find('\'')?;
    Some(&rest[start..start + len])
}

impl DevOps<'_> {
    /// Sends `req` (cloned for each retry) with `token`, and reads the JSON answer.
    pub(super) async fn send(&self, req: reqwest::RequestBuilder, token: &AccessToken, call: &Call<'_>) -> Result<Value, Error> {
        let request = req
            .bearer_auth(token.expose())
            .header("X-TFS-FedAuthRedirect", "Suppress")
            .header(reqwest::header::ACCEPT, "application/json")
            .build()
            .map_err(|e| Error::Internal { detail: format!("a request could not be built: {e}") })?;
        let url = request.url().to_string();
        if let Some(sent) = self.sent {
            crate::sync::lock(sent).push(format!("{} {url}", request.method()));
        }
        let mut waits = 0;
        loop {
            let attempt = request.try_clone().ok_or_else(|| Error::Internal { detail: "a request body could not be repeated".into() })?;
            let resp = self.http.execute(attempt).await.map_err(|e| network_error(&url, &e))?;
            let status = resp.status().as_u16();
            if matches!(status, 429 | 503) {
                let secs = retry_after(&resp);
                if secs > MAX_WAIT_SECS || waits >= MAX_WAITS {
                    return Err(Error::Throttled { status, retry_after_secs: secs });
                }
                waits += 1;
                if let Some(progress) = self.progress {
                    progress(&format!("Azure DevOps asked to wait {secs} s (HTTP {status}); retrying then."));
                }
                tracing::info!(status, secs, "Azure DevOps throttled a request; waiting");
                tokio::time::sleep(Duration::from_secs(secs)).await;
                continue;
            }
            if (200..300).contains(&status) {
                if let Some(secs) = slow_down(&resp).filter(|s| *s > 0) {
                    let secs = secs.min(MAX_WAIT_SECS);
                    if let Some(progress) = self.progress {
                        progress(&format!("Azure DevOps asked this client to slow down: waiting {secs} s before going on."));
                    }
                    tracing::info!(status, secs, "Azure DevOps asked to slow down; waiting before the next request");
                    let answer = self.read(resp, token, call, &url).await;
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    return answer;
                }
            }
            return self.read(resp, token, call, &url).await;
        }
    }

    /// Why a `TF400813` naming a user came back. An Entra token issued by another tenant than
    /// the organization's is answered so too, not only with `VS30063` (docs/microsoft.md): its
    /// `tid`, read unverified, against the organization's tenant tells that apart from a missing
    /// scope, the policy or membership.
    async fn not_authorized(&self, token: &AccessToken, call: &Call<'_>) -> Error {
        let Some(access) = self.access else { return Error::NotAuthorized { org: call.org.to_string() } };
        let token_tenant = (access.kind == AuthKind::Entra && !call.org.is_empty()).then(|| issuing_tenant(token.expose())).flatten();
        if let Some(token_tenant) = token_tenant {
            // A tenant that can't be found (the network, a personal-account organization)
            // proves nothing: the explanation stays what it was.
            if let Ok(Some(OrgTenant::Tenant(org_tenant))) = self.discover_tenant(call.org).await {
                if org_tenant.is_guid() && !org_tenant.as_str().eq_ignore_ascii_case(token_tenant.as_str()) {
                    return Error::WrongTenantToken {
                        org: call.org.to_string(),
                        org_tenant: org_tenant.to_string(),
                        token_tenant: token_tenant.to_string(),
                    };
                }
            }
        }
        explain_unauthorized(access, call.needs, call.org)
    }

    async fn read(&self, resp: reqwest::Response, token: &AccessToken, call: &Call<'_>, url: &str) -> Result<Value, Error> {
        let status = resp.status().as_u16();
        let is_json = resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
        let challenge = resp.headers().get(reqwest::header::WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()).and_then(claims_challenge);
        let body = resp.text().await.map_err(|e| network_error(url, &e))?;
        // 203 + HTML is Azure DevOps' "sign in first" (without the Suppress header).
        if status == 203 {
            return Err(Error::TokenRejected);
        }
        // A redirect (never followed with the token) or a page instead of JSON is not
        // Azure DevOps' answer but a proxy's or a captive portal's: the token is not
        // to blame, so no refresh is spent on it and nothing is marked for re-auth.
        if (300..400).contains(&status) || ((200..300).contains(&status) && !is_json) {
            let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
            return Err(Error::Network {
                host,
                detail: format!("the answer (HTTP {status}) was not Azure DevOps' (a proxy or a network sign-in page?)"),
            });
        }
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let message = json.get("message").and_then(Value::as_str).unwrap_or("").to_string();
        match status {
            200..=299 => Ok(json),
            // CAE challenged the token: a token request carrying these claims answers it
            // (silently when Microsoft allows, else through a sign-in; `Tokens::answer_claims_challenge`).
            401 if challenge.is_some() => Err(Error::ClaimsChallenge { claims: challenge.unwrap_or_default() }),
            // The token's tenant is not the organization's, or the account is no member.
            401 | 403 if message.starts_with("VS30063") => Err(Error::WrongTenant { org: call.org.to_string(), org_tenant: None }),
            // With Suppress, an expired or revoked token answers TF400813 naming no user.
            401 if tf400813_user(&message) == Some("") => Err(Error::TokenRejected),
            401 | 403 if message.starts_with("TF400813") => Err(self.not_authorized(token, call).await),
            401 if message.is_empty() => Err(Error::TokenRejected),
            404 if call.project.is_some() && (message.starts_with("TF200016") || message.is_empty()) => {
                let project = call.project.unwrap_or_default().to_string();
                Err(Error::ProjectNotFound { org: call.org.to_string(), project, available: Vec::new() })
            }
            400 if message.starts_with("VS403474") => Err(Error::TooManyIds { limit: super::work_items::MAX_IDS }),
            _ => Err(Error::AzureDevOps { status, message: if message.is_empty() { "no details".into() } else { message } }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scopes::parse_scopes;

    #[test]
    fn tf400813_blames_the_policy_only_for_a_legacy_token_that_has_the_scope() {
        let work = parse_scopes("vso.work_full").unwrap();
        let legacy = Access { kind: AuthKind::Legacy, granted: &work };
        let entra = Access { kind: AuthKind::Entra, granted: &work };
        assert_eq!(explain_unauthorized(legacy, &["vso.work"], "contoso").code(), "oauth_disabled_by_org");
        assert_eq!(explain_unauthorized(entra, &["vso.work"], "contoso").code(), "not_authorized");
        let missing = explain_unauthorized(legacy, &["vso.auditlog"], "contoso");
        assert_eq!(missing.code(), "scope_missing");
        assert_eq!(missing.to_string(), "This needs Audit Log (read) (vso.auditlog); this installation has Work items (full)");
    }

    /// Azure DevOps' failure shapes, as responses, through the same reading code.
    async fn read(status: u16, content_type: &str, body: &str) -> Result<serde_json::Value, Error> {
        let resp = http::Response::builder().status(status).header("content-type", content_type).body(body.to_string()).unwrap();
        let endpoints = crate::microsoft::endpoints::Endpoints::microsoft();
        let client = reqwest::Client::new();
        let d = DevOps::new(&client, &endpoints);
        let call = Call { needs: &["vso.work"], org: "contoso", project: Some("Website") };
        d.read(reqwest::Response::from(resp), &AccessToken::new("opaque"), &call, "https://dev.azure.com/contoso").await
    }

    #[tokio::test]
    async fn each_failure_shape_maps_to_what_it_means() {
        let json = "application/json; charset=utf-8";
        assert!(matches!(read(203, "text/html", "<html>Sign in</html>").await, Err(Error::TokenRejected)));
        assert!(matches!(read(200, "text/html", "<html>Sign in</html>").await, Err(Error::Network { .. })), "a proxy's page");
        assert!(matches!(read(302, "text/html", "").await, Err(Error::Network { .. })), "a redirect is never followed");
        let expired = r#"{"message":"TF400813: The user '' is not authorized to access this resource."}"#;
        assert!(matches!(read(401, json, expired).await, Err(Error::TokenRejected)), "no user named: the token was rejected");
        let vs30063 = r#"{"message":"VS30063: You are not authorized to access https://dev.azure.com."}"#;
        assert!(matches!(read(401, json, vs30063).await, Err(Error::WrongTenant { .. })));
        assert!(matches!(read(401, "text/plain", "").await, Err(Error::TokenRejected)));
        let tf200016 = r#"{"message":"TF200016: The following project does not exist: Website."}"#;
        assert!(matches!(read(404, json, tf200016).await, Err(Error::ProjectNotFound { .. })));
        let vs403474 = r#"{"message":"VS403474: The maximum number of work items that can be requested is 200."}"#;
        assert!(matches!(read(400, json, vs403474).await, Err(Error::TooManyIds { limit: 200 })));
        let tf400813 = r#"{"message":"TF400813: The user 'x' is not authorized to access this resource."}"#;
        assert!(matches!(read(401, json, tf400813).await, Err(Error::NotAuthorized { .. })), "without what was granted");
        assert_eq!(read(200, json, r#"{"id": 1}"#).await.unwrap()["id"], 1);
    }
}
