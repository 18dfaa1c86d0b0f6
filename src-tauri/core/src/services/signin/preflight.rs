//! What the Install form shows before Sign In, built from a resolved install.

use serde::Serialize;

use super::resolve::Resolved;
use crate::error::Error;
use crate::microsoft::azure_devops::OrgTenant;
use crate::model::audience::LearnedAudience;
use crate::model::ids::{ClientId, TenantId};
use crate::model::installation::AppSource;
use crate::model::registration::AuthKind;
use crate::model::scopes::recommended_scope_warning;
use ts_rs::TS;

/// How the user answers Microsoft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// An app window on Microsoft's page; the redirect is intercepted there.
    Embedded,
    /// The system browser, answering to the loopback listener.
    Browser,
}

impl Flow {
    /// Legacy always uses the window (its callback is an HTTPS URL the app intercepts).
    pub fn for_app(kind: AuthKind, entra_embedded: bool) -> Self {
        if kind == AuthKind::Legacy || entra_embedded {
            Self::Embedded
        } else {
            Self::Browser
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Preflight {
    pub source: AppSource,
    pub auth_type: AuthKind,
    #[ts(as = "String")]
    pub client_id: ClientId,
    pub scopes: String,
    pub scope_names: Vec<String>,
    pub callback_url: String,
    /// Own app: the user must confirm the scopes are exactly the registered ones.
    pub needs_scope_confirmation: bool,
    pub warning: Option<String>,
    pub flow: Flow,
    /// Entra: the organization's tenant, found from the organization's URL.
    #[ts(as = "Option<String>")]
    pub org_tenant: Option<TenantId>,
    /// Entra: the tenant Sign In will use, and why.
    pub tenant: Option<TenantChoice>,
}

/// Which tenant an Entra sign-in goes to, and why, in the user's words.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TenantChoice {
    #[ts(as = "String")]
    pub tenant: TenantId,
    pub why: String,
}

/// The app's Tenant ID when it has one; else the organization's, as Git Credential
/// Manager signs in (a single-tenant app fails at `organizations` with AADSTS50194,
/// and a guest would get a home-tenant token the organization rejects); `organizations`
/// only when discovery finds no tenant, saying so.
pub fn choose_tenant(r: &Resolved, discovered: &Result<Option<OrgTenant>, String>) -> TenantChoice {
    let org = &r.organization;
    if let Some(t) = &r.app.tenant {
        return TenantChoice { tenant: t.clone(), why: "the app's Tenant ID".into() };
    }
    let (tenant, why) = match discovered {
        Ok(Some(OrgTenant::Tenant(t))) => {
            (t.clone(), format!("the tenant of the organization {org}, found from its address (the Tenant ID is blank)"))
        }
        Ok(Some(OrgTenant::PersonalAccounts)) => (
            TenantId::organizations().clone(),
            format!("the organization {org} has no Entra tenant (personal Microsoft accounts), so sign-in goes through \"organizations\""),
        ),
        Ok(None) => (
            TenantId::organizations().clone(),
            format!("the organization {org} named no tenant, so sign-in goes through \"organizations\""),
        ),
        Err(e) => (
            TenantId::organizations().clone(),
            format!("the organization's tenant could not be found ({e}), so sign-in goes through \"organizations\""),
        ),
    };
    TenantChoice { tenant, why }
}

/// A single-tenant app signs in only accounts of the tenant it is registered in: an
/// organization found in another tenant would fail with AADSTS700016 after the user typed
/// a password, so the check stops it first, naming both tenants and the one fix. The tenant
/// is the admin's "Single-tenant app's tenant", else the one sign-ins taught (`learned`).
pub fn single_tenant_reaches(
    r: &Resolved,
    discovered: &Result<Option<OrgTenant>, String>,
    learned: Option<&LearnedAudience>,
) -> Result<(), Error> {
    let Ok(Some(OrgTenant::Tenant(org_tenant))) = discovered else {
        return Ok(());
    };
    let (home, learned_from) = match (&r.app.single_tenant_home, learned.and_then(LearnedAudience::home)) {
        (Some(home), _) => (home, None),
        (None, Some((home, said))) => (home, Some(said)),
        (None, None) => return Ok(()),
    };
    if org_tenant.as_str().eq_ignore_ascii_case(home.as_str()) {
        return Ok(());
    }
    Err(Error::SingleTenantAppElsewhere {
        org: r.organization.clone(),
        org_tenant: org_tenant.to_string(),
        app_tenant: home.to_string(),
        learned_from,
    })
}

/// Own legacy apps must confirm their scopes; Entra has no "exactly the
/// registered set" rule (consent covers what is asked).
pub fn needs_scope_confirmation(r: &Resolved) -> bool {
    r.source == AppSource::Own && r.app.is_legacy()
}

/// The pre-flight view. `org_tenant` is the organization's tenant when it was
/// discovered; a mismatch with the app's tenant is a warning, not an error.
pub fn preflight(r: &Resolved, found: Result<Option<OrgTenant>, String>, entra_embedded: bool) -> Preflight {
    let tenant = (!r.app.is_legacy()).then(|| choose_tenant(r, &found));
    let discovered = found.ok().flatten();
    let mut warning = recommended_scope_warning(&r.app.scopes);
    if let Some(user) = &r.already_installed {
        // Said first: it is about the whole install, not its details.
        let note = format!(
            "{} / {} is already installed (signed in as {user}). Signing in adds a second installation of it; to sign in to that one again, use its Re-authenticate instead.",
            r.organization, r.project
        );
        warning = Some(warning.map(|w| format!("{note} {w}")).unwrap_or(note));
    }
    let org_tenant = match discovered {
        Some(OrgTenant::Tenant(t)) => Some(t),
        Some(OrgTenant::PersonalAccounts) => {
            let note = format!(
                "The organization {} is backed by personal Microsoft accounts, which Entra ID apps for Azure DevOps don't support; sign-in goes through \"organizations\" and may be refused. A legacy Azure DevOps OAuth app supports such organizations.",
                r.organization
            );
            warning = Some(warning.map(|w| format!("{note} {w}")).unwrap_or(note));
            None
        }
        None => None,
    };
    if let (Some(org_t), Some(app_t)) = (&org_tenant, &r.app.tenant) {
        if app_t.is_guid() && !org_t.as_str().eq_ignore_ascii_case(app_t.as_str()) {
            let note = format!(
                "The organization {} belongs to tenant {org_t}, but the app signs in to tenant {app_t}. Sign-in will likely fail: use {org_t} or \"organizations\".",
                r.organization
            );
            warning = Some(warning.map(|w| format!("{note} {w}")).unwrap_or(note));
        }
    }
    Preflight {
        source: r.source,
        auth_type: r.app.kind,
        client_id: r.app.client_id.clone(),
        scopes: r.app.scopes.to_string(),
        scope_names: r.app.scopes.names(),
        callback_url: r.app.redirect_uri.clone(),
        needs_scope_confirmation: needs_scope_confirmation(r),
        warning,
        flow: Flow::for_app(r.app.kind, entra_embedded),
        org_tenant,
        tenant,
    }
}
