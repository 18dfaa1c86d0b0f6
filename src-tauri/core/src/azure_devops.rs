//! The Azure DevOps REST calls the connector needs, with the service's odd
//! failure shapes mapped: 203 + HTML for a rejected token, TF400813 when an
//! org blocks OAuth apps, TF200016 for a missing project.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::endpoints::Endpoints;
use crate::error::Error;
use crate::http::network_error;
use crate::secret::Secret;

const API_VERSION: &str = "7.1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    pub id: String,
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProjectInfo {
    pub id: String,
    pub name: String,
}

/// What "ready for use" established.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ready {
    pub user: Profile,
    pub organization: String,
    pub project: ProjectInfo,
}

pub struct DevOps<'a> {
    pub http: &'a reqwest::Client,
    pub endpoints: &'a Endpoints,
}

/// Which failure a 401/404 means depends on what was asked.
enum Ask<'a> {
    Profile,
    Project { org: &'a str, project: &'a str },
}

impl DevOps<'_> {
    async fn get(&self, url: &str, token: &Secret, ask: Ask<'_>) -> Result<Value, Error> {
        let resp = self.http.get(url).bearer_auth(token.expose()).send().await.map_err(|e| network_error(url, &e))?;
        let status = resp.status().as_u16();
        let is_json = resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
        let body = resp.text().await.map_err(|e| network_error(url, &e))?;
        // A 2xx is success only with JSON: 203 + HTML is Azure DevOps' "sign in first".
        if status == 203 || ((200..300).contains(&status) && !is_json) {
            return Err(Error::TokenRejected);
        }
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let message = json.get("message").and_then(Value::as_str).unwrap_or("").to_string();
        match (status, &ask) {
            (200..=299, _) => Ok(json),
            (401, Ask::Project { org, .. }) if message.starts_with("TF400813") => Err(Error::OAuthDisabledByOrg { org: org.to_string() }),
            (401, Ask::Profile) if message.is_empty() => Err(Error::TokenRejected),
            (404, Ask::Project { org, project }) if message.starts_with("TF200016") || message.is_empty() => {
                Err(Error::ProjectNotFound { org: org.to_string(), project: project.to_string() })
            }
            _ => Err(Error::AzureDevOps { status, message: if message.is_empty() { "no details".into() } else { message } }),
        }
    }

    pub async fn profile(&self, token: &Secret) -> Result<Profile, Error> {
        let url = format!("{}/_apis/profile/profiles/me?api-version={API_VERSION}", self.endpoints.vssps);
        let v = self.get(&url, token, Ask::Profile).await?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        if s("id").is_empty() {
            return Err(Error::UnexpectedResponse { detail: "the profile had no id".into() });
        }
        Ok(Profile { id: s("id"), display_name: s("displayName"), email: s("emailAddress") })
    }

    /// Organization names the user belongs to.
    pub async fn organizations(&self, token: &Secret, member_id: &str) -> Result<Vec<String>, Error> {
        let url = format!("{}/_apis/accounts?memberId={member_id}&api-version={API_VERSION}", self.endpoints.vssps);
        let v = self.get(&url, token, Ask::Profile).await?;
        Ok(v.get("value")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|o| o.get("accountName").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default())
    }

    pub async fn project(&self, token: &Secret, org: &str, project: &str) -> Result<ProjectInfo, Error> {
        let mut url = url::Url::parse(&self.endpoints.devops).map_err(|e| Error::invalid("endpoint", e.to_string()))?;
        url.path_segments_mut()
            .map_err(|_| Error::invalid("endpoint", "cannot be a base"))?
            .pop_if_empty()
            .extend([org, "_apis", "projects", project]);
        url.query_pairs_mut().append_pair("api-version", API_VERSION);
        let v = self.get(url.as_str(), token, Ask::Project { org, project }).await?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Ok(ProjectInfo { id: s("id"), name: s("name") })
    }

    /// The organization's Entra tenant, as Git Credential Manager finds it: an
    /// unauthenticated HEAD on the org URL answers with `X-VSS-ResourceTenant`.
    /// `None` for an org backed by personal Microsoft accounts (the empty GUID).
    pub async fn discover_tenant(&self, org: &str) -> Result<Option<String>, Error> {
        let url = format!("{}/{org}", self.endpoints.devops);
        let resp = self.http.head(&url).send().await.map_err(|e| network_error(&url, &e))?;
        if resp.status().as_u16() == 404 {
            return Err(Error::OrgNotFound { org: org.to_string(), available: Vec::new() });
        }
        let tenant = resp.headers().get("x-vss-resourcetenant").and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(tenant.filter(|t| t != "00000000-0000-0000-0000-000000000000"))
    }

    /// Profile → the org is among the user's accounts → the project exists.
    pub async fn ready_check(&self, token: &Secret, org: &str, project: &str) -> Result<Ready, Error> {
        let user = self.profile(token).await?;
        let orgs = self.organizations(token, &user.id).await?;
        let Some(organization) = orgs.iter().find(|o| o.eq_ignore_ascii_case(org)).cloned() else {
            return Err(Error::OrgNotFound { org: org.to_string(), available: orgs });
        };
        let project = self.project(token, &organization, project).await?;
        Ok(Ready { user, organization, project })
    }
}
