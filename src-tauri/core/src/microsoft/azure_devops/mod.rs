//! The Azure DevOps REST calls the connector makes: the ready-for-use check
//! (profile, accounts, project), tenant discovery, work items and the audit
//! log. Requests and their failure shapes are in `request.rs`.

mod audit;
mod request;
mod work_items;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use audit::{AuditPage, AuditQuery, MAX_AUDIT_PAGES};
pub use request::{claims_challenge, explain_unauthorized, Access, Call, MAX_WAIT_SECS};
pub use work_items::{NewWorkItem, WorkItem, WorkItemQuery, MAX_IDS, MAX_QUERY_RESULTS};

use crate::error::Error;
use crate::microsoft::endpoints::Endpoints;
use crate::microsoft::http::network_error;
use crate::model::ids::{is_guid, TenantId};
use crate::model::profile::Profile;
use crate::secret::AccessToken;

pub(crate) const API_VERSION: &str = "7.1";

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

/// An organization the signed-in user belongs to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub uri: String,
}

/// What an organization's sign-in authority is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgTenant {
    /// Backed by this Entra tenant (a GUID or a domain).
    Tenant(TenantId),
    /// Backed by personal Microsoft accounts (the empty GUID): sign in through `organizations`.
    PersonalAccounts,
}

const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// Prefers `WWW-Authenticate: Bearer authorization_uri=https://login…/{tenant}`,
/// then the first non-empty GUID among the `X-VSS-ResourceTenant` values (one
/// header may list several); only the empty GUID means personal accounts.
pub fn tenant_from_headers(www_authenticate: &[String], resource_tenant: &[String]) -> Option<OrgTenant> {
    let from_authority = www_authenticate.iter().find_map(|h| {
        let uri = h.split(['=', ',', ' ']).skip_while(|p| !p.eq_ignore_ascii_case("authorization_uri")).nth(1)?;
        let tenant = url::Url::parse(uri.trim_matches('"')).ok()?.path_segments()?.find(|s| !s.is_empty())?.to_string();
        (!["common", "organizations", "consumers", EMPTY_GUID].contains(&tenant.as_str())).then(|| TenantId::parse(&tenant).ok()).flatten()
    });
    if let Some(t) = from_authority {
        return Some(OrgTenant::Tenant(t));
    }
    let all: Vec<&str> = resource_tenant.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|v| !v.is_empty()).collect();
    match all.iter().filter(|v| **v != EMPTY_GUID && is_guid(v)).find_map(|v| TenantId::parse(v).ok()) {
        Some(t) => Some(OrgTenant::Tenant(t)),
        None if all.contains(&EMPTY_GUID) => Some(OrgTenant::PersonalAccounts),
        None => None,
    }
}

/// Progress a long call reports (a `Retry-After` wait), for the window.
pub type Progress<'a> = &'a (dyn Fn(&str) + Send + Sync);

pub struct DevOps<'a> {
    pub http: &'a reqwest::Client,
    pub endpoints: &'a Endpoints,
    /// What the token was granted, to explain `TF400813`; `None` before it is known.
    pub access: Option<Access<'a>>,
    pub progress: Option<Progress<'a>>,
    /// Each request sent, as its verb and URL (never a header or body: the token stays out),
    /// for the Methods panel's request lines; `None` where no one shows them.
    pub sent: Option<&'a std::sync::Mutex<Vec<String>>>,
}

const PROFILE_SCOPES: &[&str] = &["vso.profile"];
const PROJECT_SCOPES: &[&str] = &["vso.profile", "vso.project"];

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

impl<'a> DevOps<'a> {
    pub fn new(http: &'a reqwest::Client, endpoints: &'a Endpoints) -> Self {
        Self { http, endpoints, access: None, progress: None, sent: None }
    }

    /// `{base}/{segments…}?api-version=…`, each segment escaped (project names have spaces).
    pub(crate) fn url(base: &str, segments: &[&str], api_version: &str) -> Result<url::Url, Error> {
        let mut url = url::Url::parse(base).map_err(|e| Error::invalid("endpoint", e.to_string()))?;
        url.path_segments_mut().map_err(|_| Error::invalid("endpoint", "cannot be a base"))?.pop_if_empty().extend(segments);
        url.query_pairs_mut().append_pair("api-version", api_version);
        Ok(url)
    }

    /// The signed-in user. `details=true`: only the detailed form has the name and email.
    pub async fn profile(&self, token: &AccessToken) -> Result<Profile, Error> {
        let mut url = Self::url(&self.endpoints.vssps, &["_apis", "profile", "profiles", "me"], API_VERSION)?;
        url.query_pairs_mut().append_pair("details", "true");
        let call = Call { needs: PROFILE_SCOPES, org: "", project: None };
        let v = self.send(self.http.get(url), token, &call).await?;
        if text(&v, "id").is_empty() {
            return Err(Error::UnexpectedResponse { detail: "the profile had no id".into() });
        }
        Ok(Profile { id: text(&v, "id"), display_name: text(&v, "displayName"), email: text(&v, "emailAddress") })
    }

    /// Organizations the user belongs to.
    pub async fn accounts(&self, token: &AccessToken, member_id: &str) -> Result<Vec<Account>, Error> {
        let mut url = Self::url(&self.endpoints.vssps, &["_apis", "accounts"], API_VERSION)?;
        url.query_pairs_mut().append_pair("memberId", member_id);
        let call = Call { needs: PROFILE_SCOPES, org: "", project: None };
        let v = self.send(self.http.get(url), token, &call).await?;
        Ok(v.get("value")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|o| Account { id: text(o, "accountId"), name: text(o, "accountName"), uri: text(o, "accountUri") })
                    .filter(|a| !a.name.is_empty())
                    .collect()
            })
            .unwrap_or_default())
    }

    pub async fn project(&self, token: &AccessToken, org: &str, project: &str) -> Result<ProjectInfo, Error> {
        let url = Self::url(&self.endpoints.devops, &[org, "_apis", "projects", project], API_VERSION)?;
        let call = Call { needs: PROJECT_SCOPES, org, project: Some(project) };
        let v = self.send(self.http.get(url), token, &call).await?;
        Ok(ProjectInfo { id: text(&v, "id"), name: text(&v, "name") })
    }

    /// The names of the organization's projects the account can see, for a project name that
    /// doesn't exist (Projects - List, the first 100: enough to choose from, in one round trip).
    pub async fn project_names(&self, token: &AccessToken, org: &str) -> Result<Vec<String>, Error> {
        let mut url = Self::url(&self.endpoints.devops, &[org, "_apis", "projects"], API_VERSION)?;
        url.query_pairs_mut().append_pair("$top", "100");
        let call = Call { needs: PROJECT_SCOPES, org, project: None };
        let v = self.send(self.http.get(url), token, &call).await?;
        let mut names: Vec<String> = v
            .get("value")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|p| text(p, "name")).filter(|n| !n.is_empty()).collect())
            .unwrap_or_default();
        names.sort_by_key(|n| n.to_lowercase());
        Ok(names)
    }

    /// The organization's Entra tenant, as Git Credential Manager finds it
    /// (`AzureDevOpsRestApi.GetAuthorityAsync`): an unauthenticated HEAD on the
    /// org URL; see `tenant_from_headers`.
    pub async fn discover_tenant(&self, org: &str) -> Result<Option<OrgTenant>, Error> {
        let url = format!("{}/{org}", self.endpoints.devops);
        // As Git Credential Manager sends it (Accept: application/json), and with the
        // Suppress header every other Azure DevOps request carries.
        let resp = self
            .http
            .head(&url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header("X-TFS-FedAuthRedirect", "Suppress")
            .send()
            .await
            .map_err(|e| network_error(&url, &e))?;
        if resp.status().as_u16() == 404 {
            return Err(Error::OrgNotFound { org: org.to_string(), available: Vec::new() });
        }
        let values = |name: &str| -> Vec<String> {
            resp.headers().get_all(name).iter().filter_map(|v| v.to_str().ok().map(str::to_string)).collect()
        };
        Ok(tenant_from_headers(&values("www-authenticate"), &values("x-vss-resourcetenant")))
    }

    /// Profile → the org is among the user's accounts → the project exists.
    pub async fn ready_check(&self, token: &AccessToken, org: &str, project: &str) -> Result<Ready, Error> {
        match self.ready_steps(token, org, project).await {
            // Name the organization's tenant, so the fix can say which one to sign in to.
            Err(Error::WrongTenant { org, .. }) => {
                let org_tenant = match self.discover_tenant(&org).await {
                    Ok(Some(OrgTenant::Tenant(t))) => Some(t.to_string()),
                    _ => None,
                };
                Err(Error::WrongTenant { org, org_tenant })
            }
            other => other,
        }
    }

    /// The project is asked for beside the profile, not after the accounts: two round trips
    /// in a row instead of three (the accounts need the profile's id). The answers are read
    /// in the order the steps depend on each other, so the error is the one it was in a row.
    async fn ready_steps(&self, token: &AccessToken, org: &str, project: &str) -> Result<Ready, Error> {
        let member = async {
            let user = self.profile(token).await?;
            let accounts = self.accounts(token, &user.id).await?;
            Ok::<_, Error>((user, accounts))
        };
        let (member, project) = tokio::join!(member, self.project(token, org, project));
        let (user, accounts) = member?;
        let orgs: Vec<String> = accounts.into_iter().map(|a| a.name).collect();
        let Some(organization) = orgs.iter().find(|o| o.eq_ignore_ascii_case(org)).cloned() else {
            return Err(Error::OrgNotFound { org: org.to_string(), available: orgs });
        };
        let project = match project {
            // Which projects there are, to choose from; if they can't be listed, the error is said without them.
            Err(Error::ProjectNotFound { project, .. }) => {
                let available = self.project_names(token, &organization).await.unwrap_or_default();
                return Err(Error::ProjectNotFound { org: organization, project, available });
            }
            other => other?,
        };
        Ok(Ready { user, organization, project })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tenant_discovery_reads_headers_the_way_git_credential_manager_does() {
        let t = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        let auth = format!("Bearer authorization_uri=https://login.microsoftonline.com/{t}, Basic realm=\"x\"");
        let found = Some(OrgTenant::Tenant(TenantId::parse(t).unwrap()));
        assert_eq!(tenant_from_headers(&v(&[&auth]), &v(&[EMPTY_GUID])), found, "the authority wins");
        assert_eq!(tenant_from_headers(&[], &v(&[&format!("{EMPTY_GUID}, {t}")])), found, "first non-empty");
        assert_eq!(
            tenant_from_headers(&v(&["Bearer authorization_uri=https://login.microsoftonline.com/common"]), &v(&[EMPTY_GUID])),
            Some(OrgTenant::PersonalAccounts)
        );
        assert_eq!(tenant_from_headers(&[], &[]), None);
    }
}
