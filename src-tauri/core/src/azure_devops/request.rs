//! One Azure DevOps REST request, the way Microsoft's own client sends it
//! (`X-TFS-FedAuthRedirect: Suppress`, `Accept: application/json`), with the
//! service's failure shapes mapped to errors that say what to fix:
//! a rejected token (401, 203, an HTML page, a redirect), the generic
//! `TF400813` explained from what the installation was granted, `TF200016`,
//! `VS403474`, and 429/503 with `Retry-After` waited out within a bound.

use std::time::Duration;

use serde_json::Value;

use super::DevOps;
use crate::error::Error;
use crate::http::network_error;
use crate::registration::AuthKind;
use crate::scopes::{catalog, ScopeSet};
use crate::secret::Secret;

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

fn retry_after(resp: &reqwest::Response) -> u64 {
    // Seconds is what Azure DevOps sends; an HTTP date or nothing gets a short default.
    resp.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok()).unwrap_or(5)
}

impl DevOps<'_> {
    /// Sends `req` (cloned for each retry) with `token`, and reads the JSON answer.
    pub(super) async fn send(&self, req: reqwest::RequestBuilder, token: &Secret, call: &Call<'_>) -> Result<Value, Error> {
        let request = req
            .bearer_auth(token.expose())
            .header("X-TFS-FedAuthRedirect", "Suppress")
            .header(reqwest::header::ACCEPT, "application/json")
            .build()
            .map_err(|e| Error::Internal { detail: format!("a request could not be built: {e}") })?;
        let url = request.url().to_string();
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
            return self.read(resp, call, &url).await;
        }
    }

    async fn read(&self, resp: reqwest::Response, call: &Call<'_>, url: &str) -> Result<Value, Error> {
        let status = resp.status().as_u16();
        let is_json = resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
        let body = resp.text().await.map_err(|e| network_error(url, &e))?;
        // A redirect is never followed with the token; 203 + HTML is Azure DevOps' "sign in first".
        if (300..400).contains(&status) || status == 203 || ((200..300).contains(&status) && !is_json) {
            return Err(Error::TokenRejected);
        }
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let message = json.get("message").and_then(Value::as_str).unwrap_or("").to_string();
        match status {
            200..=299 => Ok(json),
            401 | 403 if message.starts_with("TF400813") => Err(match self.access {
                Some(access) => explain_unauthorized(access, call.needs, call.org),
                None => Error::NotAuthorized { org: call.org.to_string() },
            }),
            401 if message.is_empty() => Err(Error::TokenRejected),
            404 if call.project.is_some() && (message.starts_with("TF200016") || message.is_empty()) => {
                Err(Error::ProjectNotFound { org: call.org.to_string(), project: call.project.unwrap_or_default().to_string() })
            }
            400 if message.starts_with("VS403474") => Err(Error::TooManyIds { limit: super::work_items::MAX_IDS }),
            _ => Err(Error::AzureDevOps { status, message: if message.is_empty() { "no details".into() } else { message } }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::parse_scopes;

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
}
