//! Everything the fake knows: registrations, users, organizations, issued
//! grants, and the faults to inject. Tests change it through [`crate::FakeMicrosoft::with`].

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// Azure DevOps' resource id in Entra ID.
pub const ADO_RESOURCE: &str = "499b84ac-1321-427f-aa17-267ca6975798";

/// A legacy Azure DevOps OAuth app (app.vsaex.visualstudio.com/app/register).
#[derive(Debug, Clone, Deserialize)]
pub struct LegacyApp {
    pub name: String,
    /// "App ID": the `client_id` of the authorize request.
    pub app_id: String,
    /// Shown on the registration page, and wrong for token requests.
    pub app_secret: String,
    /// The right `client_assertion`.
    pub client_secret: String,
    /// The registration's Authorized scopes; frozen after registration.
    pub scopes: Vec<String>,
    /// The one Authorization callback URL; HTTPS.
    pub callback_url: String,
    /// Since 2025 a legacy app's Client Secret lasts 60 days by default; an expired
    /// one fails every token request with `invalid_client`, refresh included.
    #[serde(default)]
    pub secret_expired: bool,
    /// A second secret while rotating (a legacy app may hold two, "overlapping secrets"):
    /// accepted beside `client_secret`, and so are the tokens issued with it.
    #[serde(default)]
    pub overlapping_secret: Option<String>,
}

/// An Entra ID app registration.
#[derive(Debug, Clone, Deserialize)]
pub struct EntraApp {
    pub name: String,
    pub client_id: String,
    pub tenant_id: String,
    /// `None` for a public client ("Mobile and desktop applications").
    pub client_secret: Option<String>,
    pub redirect_uris: Vec<String>,
    /// Delegated Azure DevOps permissions configured on the app, e.g. `vso.work_full`.
    pub permissions: Vec<String>,
    /// "Accounts in this organizational directory only", the Entra portal's default:
    /// `organizations` and `common` answer AADSTS50194 for it.
    #[serde(default)]
    pub single_tenant: bool,
    /// The confidential client's secret passed its expiry: AADSTS7000222 at the token endpoint.
    #[serde(default)]
    pub client_secret_expired: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub tenant_id: String,
    /// Organization names the user is a member of.
    pub organizations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Organization {
    pub name: String,
    pub id: String,
    pub tenant_id: String,
    /// "Third-party application access via OAuth". Off by default for new orgs.
    pub third_party_oauth: bool,
    pub projects: Vec<Project>,
    #[serde(default)]
    pub audit_entries: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub name: String,
    pub id: String,
    #[serde(default)]
    pub work_items: Vec<WorkItem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkItem {
    pub id: u64,
    pub work_item_type: String,
    pub title: String,
    pub state: String,
    /// `System.Description`, an HTML field: stored as sent, shown by Azure DevOps as HTML.
    #[serde(default)]
    pub description: String,
}

/// A fault the token endpoints answer with instead of doing their job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 with a PascalCase error body.
    ServerError,
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// HTTP 200 with a body that is not JSON.
    GarbageBody,
}

/// A throttling answer the REST endpoints give instead of doing their job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestFault {
    /// HTTP 429 with `Retry-After: <seconds>`, as Azure DevOps' rate limiter answers.
    TooManyRequests { retry_after_secs: u64 },
    /// HTTP 503 with `Retry-After: <seconds>`.
    Unavailable { retry_after_secs: u64 },
    /// A normal answer that asks the client to slow down: `Retry-After` on a 200
    /// (Learn, "Rate and usage limits").
    SlowDown { retry_after_secs: u64 },
    /// A normal answer with `X-RateLimit-Delay` (here in milliseconds) and `X-RateLimit-Remaining: 0`.
    RateLimited { delay_ms: u64 },
}

#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub code: Duration,
    pub access_token: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        // Observed: codes live 900 s, access tokens 3600 s (expires_in "3599").
        Self { code: Duration::from_secs(900), access_token: Duration::from_secs(3600) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    Legacy,
    Entra,
}

/// An authorization code waiting to be redeemed.
#[derive(Debug, Clone)]
pub struct CodeGrant {
    pub flow: Flow,
    pub client_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub offline_access: bool,
    pub issued: Instant,
    /// The authorize request declared the `CP1` client capability (Continuous Access Evaluation).
    pub cp1: bool,
}

/// What an access or refresh token stands for.
#[derive(Debug, Clone)]
pub struct Grant {
    pub flow: Flow,
    pub client_id: String,
    pub user_id: String,
    /// Scope strings without the Entra resource prefix.
    pub scopes: Vec<String>,
    pub offline_access: bool,
    pub expires: Option<Instant>,
    /// Entra: the tenant the token was issued in (its `tid`).
    pub tenant: Option<String>,
    /// Entra: issued to a client that declared `CP1`, so a revocation answers with a claims challenge.
    pub cp1: bool,
}

#[derive(Debug, Default)]
pub struct World {
    pub legacy_apps: Vec<LegacyApp>,
    pub entra_apps: Vec<EntraApp>,
    pub users: Vec<User>,
    pub organizations: Vec<Organization>,
    pub lifetimes: Lifetimes,
    /// Faults for the next token requests, used up in order.
    pub token_faults: VecDeque<Fault>,
    /// Every request to a token endpoint, counted before faults apply.
    pub token_requests: u64,
    /// How long every token request takes, like a real service's latency (default none).
    pub token_latency: Duration,
    /// Token requests being answered right now, and the most at once so far.
    pub token_in_flight: u64,
    pub token_peak_in_flight: u64,
    /// Faults for the next REST requests, used up in order.
    pub rest_faults: VecDeque<RestFault>,
    /// Every REST request that presented a token, counted before faults apply.
    pub rest_requests: u64,
    /// Each interactive authorize request's query, in order (`prompt`, `login_hint`…).
    pub authorize_requests: Vec<HashMap<String, String>>,
    /// Each tenant-discovery request: its `Accept` and `X-TFS-FedAuthRedirect` headers.
    pub discovery_requests: Vec<(String, String)>,
    /// While set, Conditional Access blocks Entra sign-ins and token requests with this
    /// AADSTS code (53000, 53001, 53003, 530032).
    pub conditional_access: Option<u32>,
    /// Answer a token of another tenant than the organization's with VS30063 (Microsoft
    /// answers some so, MicrosoftDocs/azure-devops-docs#1807) instead of TF400813 naming the user.
    pub cross_tenant_vs30063: bool,
    /// Entra access tokens revoked by a critical event (Continuous Access Evaluation).
    pub(crate) cae_revoked: HashSet<String>,
    /// Entra refresh tokens whose next token request must carry the challenge's claims to
    /// mint a token Azure DevOps accepts (a network or location change under CAE).
    pub(crate) cae_challenged: HashSet<String>,
    /// Entra refresh tokens of sessions a critical event ended (password reset, account
    /// disabled): a token request answers invalid_grant, AADSTS50173.
    pub(crate) cae_ended_sessions: HashSet<String>,
    /// Legacy refresh tokens, with the Client Secret they were minted with: when that secret
    /// expires or is regenerated, "all previous tokens cease to work" (Learn, azure-devops-oauth).
    pub(crate) legacy_minted_with: HashMap<String, String>,
    /// Each Entra token request's `claims` parameter, in order ("" when none was sent).
    pub token_claims: Vec<String>,
    /// Tenants (lower-case) whose policy lets only admins consent to apps (tenants.rs).
    pub admin_consent_only: HashSet<String>,
    /// (tenant, client id), lower-case: an admin of the tenant approved the app there.
    pub admin_consents: HashSet<(String, String)>,
    /// Headers to add to the REST answer being made (a slow-down fault).
    pub(crate) answer_headers: Vec<(String, String)>,
    /// The user the consent page preselects.
    pub default_user: Option<String>,
    pub(crate) codes: HashMap<String, CodeGrant>,
    pub(crate) access_tokens: HashMap<String, Grant>,
    pub(crate) refresh_tokens: HashMap<String, Grant>,
    /// Refresh tokens that were rotated away or revoked; kept to tell them apart in tests.
    pub(crate) dead_refresh_tokens: HashSet<String>,
}

/// What a config file for the standalone fake may set; anything left out
/// comes from [`World::demo`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldConfig {
    #[serde(default)]
    pub legacy_apps: Option<Vec<LegacyApp>>,
    #[serde(default)]
    pub entra_apps: Option<Vec<EntraApp>>,
    #[serde(default)]
    pub users: Option<Vec<User>>,
    #[serde(default)]
    pub organizations: Option<Vec<Organization>>,
    #[serde(default)]
    pub access_token_seconds: Option<u64>,
}

impl World {
    /// The demo world with a config file's sections laid over it.
    pub fn from_config(json: &str) -> Result<World, String> {
        let c: WorldConfig = serde_json::from_str(json).map_err(|e| format!("invalid config: {e}"))?;
        let mut w = World::demo();
        if let Some(v) = c.legacy_apps {
            w.legacy_apps = v;
        }
        if let Some(v) = c.entra_apps {
            w.entra_apps = v;
        }
        if let Some(v) = c.users {
            w.default_user = v.first().map(|u| u.id.clone());
            w.users = v;
        }
        if let Some(v) = c.organizations {
            w.organizations = v;
        }
        if let Some(secs) = c.access_token_seconds {
            w.lifetimes.access_token = Duration::from_secs(secs);
        }
        Ok(w)
    }

    pub fn legacy_app(&self, app_id: &str) -> Option<&LegacyApp> {
        self.legacy_apps.iter().find(|a| a.app_id.eq_ignore_ascii_case(app_id))
    }

    pub fn entra_app(&self, client_id: &str) -> Option<&EntraApp> {
        self.entra_apps.iter().find(|a| a.client_id.eq_ignore_ascii_case(client_id))
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn organization(&self, name: &str) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.name.eq_ignore_ascii_case(name))
    }

    pub fn organization_mut(&mut self, name: &str) -> Option<&mut Organization> {
        self.organizations.iter_mut().find(|o| o.name.eq_ignore_ascii_case(name))
    }

    /// A world with one of everything, for the demo and most tests.
    pub fn demo() -> Self {
        let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47".to_string();
        let work_items = |base: u64| {
            vec![
                WorkItem {
                    id: base,
                    work_item_type: "User Story".into(),
                    title: "Sign in with Microsoft".into(),
                    state: "Active".into(),
                    description: String::new(),
                },
                WorkItem {
                    id: base + 1,
                    work_item_type: "Task".into(),
                    title: "Store tokens in the keychain".into(),
                    state: "New".into(),
                    description: String::new(),
                },
                WorkItem {
                    id: base + 2,
                    work_item_type: "Bug".into(),
                    title: "InvalidScope after sign-in".into(),
                    state: "Resolved".into(),
                    description: String::new(),
                },
            ]
        };
        Self {
            legacy_apps: vec![LegacyApp {
                name: "Contoso Connector".into(),
                app_id: "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f".into(),
                app_secret: "demo-app-secret-NOT-for-tokens".into(),
                client_secret: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.demo-client-secret".into(),
                scopes: vec!["vso.work_full".into(), "vso.project".into()],
                callback_url: "https://app-h.cyclr.com/connector/callback".into(),
                secret_expired: false,
                overlapping_secret: None,
            }],
            entra_apps: vec![EntraApp {
                name: "Contoso Connector (Entra)".into(),
                client_id: "0d9c7b1a-3e5f-4a6b-8c7d-9e0f1a2b3c4d".into(),
                tenant_id: tenant.clone(),
                client_secret: None,
                redirect_uris: vec!["http://localhost".into(), "http://127.0.0.1".into()],
                permissions: vec!["vso.work_full".into(), "vso.project".into(), "vso.auditlog".into()],
                single_tenant: false,
                client_secret_expired: false,
            }],
            users: vec![
                User {
                    id: "6b1d3f1c-2c4a-4d53-9f2e-8a1b7c6d5e4f".into(),
                    display_name: "Dana Developer".into(),
                    email: "dana@contoso.com".into(),
                    tenant_id: tenant.clone(),
                    organizations: vec!["contoso".into(), "contoso-legacy".into()],
                },
                User {
                    id: "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d".into(),
                    display_name: "Omar Outsider".into(),
                    email: "omar@fabrikam.com".into(),
                    tenant_id: "a1b2c3d4-0000-4000-8000-00000000f00d".into(),
                    organizations: vec![],
                },
            ],
            organizations: vec![
                Organization {
                    name: "contoso".into(),
                    id: "e2c3a5d1-7b8f-4c6a-9d0e-1f2a3b4c5d6e".into(),
                    tenant_id: tenant.clone(),
                    third_party_oauth: true,
                    projects: vec![
                        Project {
                            name: "Fabrikam Fiber".into(),
                            id: "6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c".into(),
                            work_items: work_items(1),
                        },
                        Project { name: "Website".into(), id: "a7573007-bbb3-4341-b726-0c4148a07853".into(), work_items: work_items(100) },
                    ],
                    audit_entries: vec![serde_json::json!({
                        "id": "1", "actionId": "Project.CreateCompleted", "actorDisplayName": "Dana Developer",
                        "details": "Created project Fabrikam Fiber", "timestamp": "2026-11-01T09:00:00Z"
                    })],
                },
                Organization {
                    name: "contoso-legacy".into(),
                    id: "f3d4b6e2-8c9a-4d7b-ae1f-2a3b4c5d6e7f".into(),
                    tenant_id: tenant,
                    // New orgs default to off; this one shows TF400813.
                    third_party_oauth: false,
                    projects: vec![Project {
                        name: "Archive".into(),
                        id: "b8684118-cccc-4452-c837-1d5259b18964".into(),
                        work_items: vec![],
                    }],
                    audit_entries: vec![],
                },
            ],
            default_user: Some("6b1d3f1c-2c4a-4d53-9f2e-8a1b7c6d5e4f".into()),
            ..Self::default()
        }
    }
}
