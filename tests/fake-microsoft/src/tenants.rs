//! Which tenants an Entra app signs in, and who may consent to it there.
//!
//! - A single-tenant app ("Accounts in this organizational directory only") signs in only
//!   accounts of the tenant it is registered in; a multitenant one any organizational
//!   directory (quickstart-register-app). Elsewhere: AADSTS700016.
//! - A tenant whose policy lets only admins consent refuses a user's consent to an app
//!   nobody approved there (AADSTS90094); an admin of that tenant approves the app for
//!   everyone at `/{tenant}/v2.0/adminconsent` (Entra, "admin consent" endpoint:
//!   https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;

use crate::entra::redirect_matches;
use crate::world::{EntraApp, World};
use crate::{pages, Shared};

type Params = HashMap<String, String>;

fn param<'a>(p: &'a Params, k: &str) -> &'a str {
    p.get(k).map(String::as_str).unwrap_or("")
}

/// A tenant the world knows: an organization's, a user's or an app's home.
fn known_tenant(world: &World, tenant: &str) -> bool {
    world.organizations.iter().any(|o| o.tenant_id.eq_ignore_ascii_case(tenant))
        || world.users.iter().any(|u| u.tenant_id.eq_ignore_ascii_case(tenant))
        || world.entra_apps.iter().any(|a| a.tenant_id.eq_ignore_ascii_case(tenant))
}

/// The tenant a verified domain (the part after `@` of its users' e-mail) names.
fn tenant_of_domain(world: &World, domain: &str) -> Option<String> {
    let suffix = format!("@{}", domain.to_ascii_lowercase());
    world.users.iter().find(|u| u.email.to_ascii_lowercase().ends_with(&suffix)).map(|u| u.tenant_id.to_ascii_lowercase())
}

/// Whether the app signs in at this tenant path segment (a GUID, a verified domain, or
/// `common` / `organizations`, which `single_tenant_at_shared_endpoint` checks first).
pub fn app_signs_in_at(world: &World, app: &EntraApp, tenant: &str) -> bool {
    if tenant.eq_ignore_ascii_case("common") || tenant.eq_ignore_ascii_case("organizations") {
        return true;
    }
    let named = tenant_of_domain(world, tenant).unwrap_or_else(|| tenant.to_ascii_lowercase());
    if named.eq_ignore_ascii_case(&app.tenant_id) {
        return true;
    }
    !app.single_tenant && known_tenant(world, &named)
}

/// A single-tenant app at a shared endpoint (reference-error-codes: AADSTS50194).
pub fn single_tenant_at_shared_endpoint(app: &EntraApp, tenant: &str) -> bool {
    app.single_tenant && ["common", "organizations"].iter().any(|t| tenant.eq_ignore_ascii_case(t))
}

pub const AADSTS50194: &str = "Application is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.";

/// The tenant a token is issued in: the one named in the path, or the user's home
/// tenant at `organizations`/`common` (or a domain).
pub fn token_tenant(world: &World, path_tenant: &str, user_id: &str) -> String {
    let known = world.organizations.iter().any(|o| o.tenant_id.eq_ignore_ascii_case(path_tenant))
        || world.users.iter().any(|u| u.tenant_id.eq_ignore_ascii_case(path_tenant))
        || world.entra_apps.iter().any(|a| a.tenant_id.eq_ignore_ascii_case(path_tenant));
    if known {
        return path_tenant.to_ascii_lowercase();
    }
    world.user(user_id).map(|u| u.tenant_id.to_ascii_lowercase()).unwrap_or_default()
}

/// Whether a user may consent to the app in this tenant: yes, unless the tenant lets only
/// admins consent and no admin approved the app there. The app's home tenant counts as
/// approved (its owner registered it there).
pub fn user_may_consent(world: &World, app: &EntraApp, tenant: &str) -> bool {
    let tenant = tenant.to_ascii_lowercase();
    !world.admin_consent_only.contains(&tenant)
        || tenant.eq_ignore_ascii_case(&app.tenant_id)
        || world.admin_consents.contains(&(tenant, app.client_id.to_ascii_lowercase()))
}

/// The admin-consent page: an admin of `tenant` signs in and approves the app's
/// permissions for the whole tenant.
pub async fn admin_consent_page(State(shared): State<Shared>, Path(tenant): Path<String>, Query(p): Query<Params>) -> Response {
    let world = shared.lock().unwrap();
    let app = match checked(&world, &tenant, &p) {
        Ok(app) => app,
        Err(r) => return r,
    };
    let scopes: Vec<String> = param(&p, "scope").split_whitespace().map(str::to_string).collect();
    let action = format!("/login/{}/v2.0/adminconsent", pages::escape(&tenant));
    let keys = ["client_id", "scope", "redirect_uri", "state"];
    pages::consent(pages::Consent {
        title: "Microsoft: permissions requested (accept for your organization)",
        app_name: &app.name,
        scope_names: scopes,
        users: &world.users,
        default_user: world.default_user.as_deref(),
        fields: keys.iter().map(|k| (*k, param(&p, k))).collect(),
        action: &action,
    })
}

/// The admin's answer: Accept approves the app in the tenant, then Microsoft redirects
/// with `admin_consent=True` and the tenant.
pub async fn admin_consent_decide(State(shared): State<Shared>, Path(tenant): Path<String>, Form(p): Form<Params>) -> Response {
    let mut world = shared.lock().unwrap();
    let app = match checked(&world, &tenant, &p) {
        Ok(app) => app,
        Err(r) => return r,
    };
    let mut url = url::Url::parse(param(&p, "redirect_uri")).expect("checked");
    if param(&p, "decision") != "accept" {
        url.query_pairs_mut().append_pair("error", "access_denied").append_pair("state", param(&p, "state"));
        return crate::found(url.as_str());
    }
    world.admin_consents.insert((tenant.to_ascii_lowercase(), app.client_id.to_ascii_lowercase()));
    url.query_pairs_mut().append_pair("admin_consent", "True").append_pair("tenant", &tenant).append_pair("state", param(&p, "state"));
    crate::found(url.as_str())
}

fn checked(world: &World, tenant: &str, p: &Params) -> Result<EntraApp, Response> {
    let not_found = || {
        let text = format!("Application with identifier '{}' was not found in the directory '{tenant}'.", param(p, "client_id"));
        pages::error_page(StatusCode::BAD_REQUEST, "AADSTS700016", &text)
    };
    let app = world.entra_app(param(p, "client_id")).filter(|a| app_signs_in_at(world, a, tenant)).cloned().ok_or_else(not_found)?;
    if !app.redirect_uris.iter().any(|r| redirect_matches(r, param(p, "redirect_uri"))) {
        let text = "The redirect URI specified in the request does not match the redirect URIs configured for the application.";
        return Err(pages::error_page(StatusCode::BAD_REQUEST, "AADSTS50011", text));
    }
    Ok(app)
}

impl World {
    /// A partner's customer in another tenant: the organization `fabrikam` (project `Portal`)
    /// in the tenant of Omar Outsider (fabrikam.com), who becomes its member and the account
    /// the consent page preselects. Returns the customer's tenant.
    pub fn add_customer_in_another_tenant(&mut self) -> String {
        let omar = self.users.iter_mut().find(|u| u.email == "omar@fabrikam.com").expect("the demo world's outsider");
        omar.organizations.push("fabrikam".into());
        let (tenant, id) = (omar.tenant_id.clone(), omar.id.clone());
        self.organizations.push(crate::world::Organization {
            name: "fabrikam".into(),
            id: "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3".into(),
            tenant_id: tenant.clone(),
            third_party_oauth: false,
            projects: vec![crate::world::Project {
                name: "Portal".into(),
                id: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e".into(),
                work_items: vec![],
            }],
            audit_entries: vec![],
        });
        self.default_user = Some(id);
        tenant
    }
}
