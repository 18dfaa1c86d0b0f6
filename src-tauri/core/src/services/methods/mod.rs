//! The methods service: runs the connector's Azure DevOps calls for one
//! installation with its own token. The required scope (from the manifest) is
//! checked before anything is sent; a rejected token is refreshed once and the
//! call retried once, then the installation needs re-auth.

mod inputs;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::microsoft::azure_devops::{explain_unauthorized, Access, AuditQuery, DevOps, NewWorkItem, Progress};
use crate::model::connectors::{self, MethodId};
use crate::model::installation::{Installation, InstallationId};
use crate::secret::AccessToken;
use crate::services::context::Context;
use crate::services::tokens::Tokens;
use ts_rs::TS;

/// What the Methods panel asks for.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct MethodRequest {
    // Read as sent, not checked: it only looks an installation up.
    #[ts(as = "String")]
    pub installation: InstallationId,
    pub method: MethodId,
    #[serde(default)]
    #[ts(as = "Option<BTreeMap<String, String>>", optional)]
    pub inputs: BTreeMap<String, String>,
}

/// Rows keyed by the manifest's column ids, whether there is more than shown,
/// and a one-line summary.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MethodOutput {
    /// Flat objects keyed by the method's column ids: strings and numbers.
    #[ts(type = "Array<Record<string, string | number>>")]
    pub rows: Vec<Value>,
    pub more: bool,
    pub summary: String,
    /// The requests it sent, each "VERB URL", in order: what an API client shows as the request line.
    pub requests: Vec<String>,
}

pub struct Methods {
    state: Arc<Context>,
    tokens: Arc<Tokens>,
}

fn rows<T: Serialize>(items: &[T]) -> Vec<Value> {
    items.iter().filter_map(|i| serde_json::to_value(i).ok()).collect()
}

impl Methods {
    pub fn new(state: Arc<Context>, tokens: Arc<Tokens>) -> Self {
        Self { state, tokens }
    }

    fn installation(&self, id: &InstallationId) -> Result<Installation> {
        self.state.installation(id)
    }

    /// Runs one method. `progress` hears about waits (`Retry-After`).
    pub async fn run(&self, req: &MethodRequest, progress: Option<Progress<'_>>) -> Result<MethodOutput> {
        let i = self.installation(&req.installation)?;
        let manifest = connectors::require(&i.connector)?;
        let method = manifest.method(req.method).ok_or_else(|| Error::NotFound(format!("method {:?}", req.method)))?;
        let granted = i.scopes.known();
        let needs: Vec<&str> = method.any_of.iter().map(String::as_str).collect();
        let access = Access { kind: i.auth_type, granted };
        if !granted.is_default() && !needs.iter().any(|s| granted.grants(s)) {
            return Err(explain_unauthorized(access, &needs, &i.organization));
        }
        let inputs = inputs::parse(method, &req.inputs)?;
        tracing::info!(installation = %i.id, method = ?req.method, "running a connector method");
        let sent = std::sync::Mutex::new(Vec::new());
        let devops = DevOps { access: Some(access), progress, sent: Some(&sent), ..DevOps::new(self.state.http(), self.state.endpoints()) };
        let mut out = self.with_token(&i.id, |token| self.call(&devops, token, &i, req.method, &inputs)).await?;
        out.requests = std::mem::take(&mut *crate::sync::lock(&sent));
        Ok(out)
    }

    /// Runs the ready-for-use check again with a current token.
    pub async fn test_connection(&self, id: &InstallationId) -> Result<String> {
        let i = self.installation(id)?;
        let granted = i.scopes.known();
        let devops =
            DevOps { access: Some(Access { kind: i.auth_type, granted }), ..DevOps::new(self.state.http(), self.state.endpoints()) };
        let (devops, i) = (&devops, &i);
        let ready = self.with_token(id, |token| async move { devops.ready_check(&token, &i.organization, &i.project).await }).await?;
        Ok(format!("Connected as {} to {} / {}.", ready.user.display_name, ready.organization, ready.project.name))
    }

    /// A current token for the call; if Azure DevOps rejects it, one refresh and one retry.
    async fn with_token<T, F, Fut>(&self, id: &InstallationId, call: F) -> Result<T>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let token = self.tokens.access_token(id).await?;
        match call(token).await {
            // Continuous Access Evaluation: silently first, with the claims; a second
            // challenge right after means the silent answer was not enough.
            Err(Error::ClaimsChallenge { claims }) => {
                let token = self.tokens.answer_claims_challenge(id, claims).await?;
                match call(token).await {
                    Err(Error::ClaimsChallenge { claims }) => Err(self.tokens.claims_challenge(id, claims).await),
                    other => other,
                }
            }
            Err(Error::TokenRejected) => {
                tracing::info!(installation = id.as_str(), "Azure DevOps rejected the access token; refreshing once");
                let token = self.tokens.refresh(id).await?;
                match call(token).await {
                    Err(Error::TokenRejected) => Err(self.tokens.rejected(id).await),
                    other => other,
                }
            }
            other => other,
        }
    }

    async fn call(
        &self,
        d: &DevOps<'_>,
        token: AccessToken,
        i: &Installation,
        method: MethodId,
        input: &inputs::Inputs,
    ) -> Result<MethodOutput> {
        let (org, project) = (i.organization.as_str(), i.project.as_str());
        let out = |rows: Vec<Value>, more: bool, (one, many): (&str, &str)| MethodOutput {
            summary: format!(
                "{} {}{}",
                rows.len(),
                if rows.len() == 1 { one } else { many },
                if more { ", and more than shown" } else { "" }
            ),
            rows,
            more,
            requests: Vec::new(),
        };
        Ok(match method {
            MethodId::ListWorkItems => {
                let found = d.query_work_items(&token, org, project, &input.text("wiql")).await?;
                let items = d.work_items(&token, org, project, &found.ids).await?;
                out(rows(&items), found.more, ("work item", "work items"))
            }
            MethodId::GetWorkItem => {
                let items = d.work_items(&token, org, project, &input.ids).await?;
                let mut o = out(rows(&items), false, ("work item", "work items"));
                // Azure DevOps leaves out the ids it doesn't have (errorPolicy=omit): say which.
                let missing: Vec<String> = input.ids.iter().filter(|id| !items.iter().any(|w| w.id == **id)).map(u64::to_string).collect();
                if !missing.is_empty() {
                    o.summary = format!("{} of {} found ({} not found)", items.len(), input.ids.len(), missing.join(", "));
                }
                o
            }
            MethodId::CreateWorkItem => {
                let new = NewWorkItem { kind: &input.text("type"), title: &input.text("title"), description: &input.text("description") };
                let created = d.create_work_item(&token, org, project, &new).await?;
                let mut o = out(rows(std::slice::from_ref(&created)), false, ("work item", "work items"));
                o.summary = format!("Created {} {} \u{201c}{}\u{201d}.", created.kind, created.id, created.title);
                o
            }
            MethodId::ListAccounts => {
                let me = d.profile(&token).await?;
                out(rows(&d.accounts(&token, &me.id).await?), false, ("organization", "organizations"))
            }
            MethodId::QueryAuditLog => {
                let q = AuditQuery { start: input.text("start"), end: input.text("end"), batch_size: None };
                let page = d.audit_log(&token, org, &q).await?;
                out(rows(&page.entries), page.more, ("audit entry", "audit entries"))
            }
            MethodId::GetProfile => out(rows(&[d.profile(&token).await?]), false, ("profile", "profiles")),
            MethodId::GetProject => {
                let p = d.project(&token, org, project).await?;
                out(vec![json!({ "name": p.name, "id": p.id })], false, ("project", "projects"))
            }
        })
    }
}
