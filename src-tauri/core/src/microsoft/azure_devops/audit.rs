//! The organization's audit log (`auditservice` host, a `-preview`
//! api-version), a page at a time, following continuation tokens up to a cap.

use serde::Serialize;
use serde_json::Value;

use super::{Call, DevOps, OrgTenant};
use crate::error::Error;
use crate::secret::AccessToken;

const AUDIT_API_VERSION: &str = "7.1-preview.1";
const NEEDS: &[&str] = &["vso.auditlog"];
/// Pages followed per query; more are reported as "more results".
pub const MAX_AUDIT_PAGES: usize = 5;

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// ISO 8601; empty for the service's default range.
    pub start: String,
    pub end: String,
    pub batch_size: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditEntry {
    pub time: String,
    pub actor: String,
    pub action: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The service has more after the last page followed.
    pub more: bool,
}

fn entry(v: &Value) -> AuditEntry {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    AuditEntry { time: s("timestamp"), actor: s("actorDisplayName"), action: s("actionId"), details: s("details") }
}

impl DevOps<'_> {
    /// A refusal of a token whose scopes cover the call (TF400813 naming the user, or a bare
    /// 401/403/404) read as auditing's documented preconditions; with the organization's tenant
    /// found absent, the one known. Anything else (a rejected token, a missing scope, the
    /// network) stays as it was.
    async fn audit_refused(&self, org: &str, e: Error) -> Error {
        let legacy = matches!(e, Error::OAuthDisabledByOrg { .. });
        if !matches!(e, Error::NotAuthorized { .. } | Error::OAuthDisabledByOrg { .. } | Error::AzureDevOps { status: 401 | 403 | 404, .. })
        {
            return e;
        }
        tracing::warn!(code = e.code(), "the audit log was refused");
        let not_entra_backed = matches!(self.discover_tenant(org).await, Ok(Some(OrgTenant::PersonalAccounts)));
        Error::AuditUnavailable { org: org.to_string(), not_entra_backed, legacy }
    }

    pub async fn audit_log(&self, token: &AccessToken, org: &str, q: &AuditQuery) -> Result<AuditPage, Error> {
        let mut entries = Vec::new();
        let mut continuation: Option<String> = None;
        for _ in 0..MAX_AUDIT_PAGES {
            let mut url = Self::url(&self.endpoints.audit, &[org, "_apis", "audit", "auditlog"], AUDIT_API_VERSION)?;
            {
                let mut pairs = url.query_pairs_mut();
                if !q.start.is_empty() {
                    pairs.append_pair("startTime", &q.start);
                }
                if !q.end.is_empty() {
                    pairs.append_pair("endTime", &q.end);
                }
                if let Some(n) = q.batch_size {
                    pairs.append_pair("batchSize", &n.to_string());
                }
                if let Some(c) = &continuation {
                    pairs.append_pair("continuationToken", c);
                }
            }
            let v = match self.send(self.http.get(url), token, &Call { needs: NEEDS, org, project: None }).await {
                Ok(v) => v,
                Err(e) => return Err(self.audit_refused(org, e).await),
            };
            entries.extend(v.get("decoratedAuditLogEntries").and_then(Value::as_array).into_iter().flatten().map(entry));
            let has_more = v.get("hasMore").and_then(Value::as_bool).unwrap_or(false);
            continuation = v.get("continuationToken").and_then(Value::as_str).filter(|c| !c.is_empty()).map(str::to_string);
            if !has_more || continuation.is_none() {
                return Ok(AuditPage { entries, more: false });
            }
        }
        Ok(AuditPage { entries, more: true })
    }
}
