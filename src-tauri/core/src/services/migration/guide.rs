//! What to register in Entra to replace a legacy app, generated from the legacy
//! Library entry or installation, with the tenant discovered from its organizations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Migration;
use crate::error::{Error, Result};
use crate::microsoft::azure_devops::{DevOps, OrgTenant};
use crate::model::connectors::{self, AuthKind};
use crate::model::ids::{ClientId, TenantId};
use crate::model::installation::{AppSource, InstallationId};
use crate::model::scopes::{legacy_to_entra, parse_scopes, EntraMapping};
use ts_rs::TS;

/// Whose legacy app the guide is for.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LegacyApp {
    /// A connector's Library entry (the partner admin's shared app).
    Library { connector: String },
    /// An installation that signed in with the user's own legacy app.
    Installation {
        #[ts(as = "String")]
        id: InstallationId,
    },
}

/// An organization's Entra tenant, as discovered for the guide.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TenantFinding {
    pub organization: String,
    /// The tenant (a GUID or a domain), when the organization is backed by one.
    #[ts(as = "Option<String>")]
    pub tenant: Option<TenantId>,
    /// Why it isn't known: a personal-account organization, or discovery failed.
    pub problem: Option<String>,
}

/// Single- or multi-tenant, as the Entra portal asks at registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// "Accounts in this organizational directory only": every organization is in one tenant.
    SingleTenant,
    /// "Accounts in any organizational directory": the organizations span tenants.
    MultiTenant,
    /// No organization's tenant is known yet.
    Unknown,
}

/// What to register in Entra to replace a legacy app.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RegistrationGuide {
    pub connector: String,
    #[ts(as = "String")]
    pub legacy_client_id: ClientId,
    /// The platform to add under Authentication, and its redirect URI: a desktop app
    /// signs in through the loopback address, and Entra ignores the port.
    pub platform: &'static str,
    pub redirect_uri: &'static str,
    pub scopes: EntraMapping,
    pub tenants: Vec<TenantFinding>,
    pub audience: Audience,
    /// One line on the choice above.
    pub audience_text: String,
    /// Microsoft's app registration page, from the connector manifest.
    pub registration_url: &'static str,
    /// The entry comes from the organization's policy file: IT deploys the new one.
    pub managed: bool,
}

impl Migration {
    /// The registration guide for a legacy app. `Error::NotFound` when it isn't one.
    pub async fn guide(&self, of: &LegacyApp) -> Result<RegistrationGuide> {
        let (connector, values, orgs) = self.legacy_app(of)?;
        let manifest = connectors::require(&connector)?;
        let entra = manifest.auth_option(AuthKind::Entra).ok_or_else(|| Error::NotFound("an Entra ID option for this connector".into()))?;
        let scopes = parse_scopes(values.get("scopes").map_or("", String::as_str))?;
        let mut tenants = Vec::new();
        for organization in orgs {
            tenants.push(self.tenant_of(organization).await);
        }
        let (audience, audience_text) = audience(&tenants, matches!(of, LegacyApp::Library { .. }));
        let managed = matches!(of, LegacyApp::Library { .. }) && self.state.is_managed(&connector);
        Ok(RegistrationGuide {
            connector,
            legacy_client_id: ClientId::parse(values.get("client_id").map_or("", String::as_str))?,
            platform: "Mobile and desktop applications",
            redirect_uri: "http://localhost",
            scopes: legacy_to_entra(&scopes),
            tenants,
            audience,
            audience_text,
            registration_url: &entra.registration_url,
            managed,
        })
    }

    /// The legacy app's connector, its non-secret values, and the organizations that use it.
    fn legacy_app(&self, of: &LegacyApp) -> Result<(String, std::collections::BTreeMap<String, String>, BTreeSet<String>)> {
        let settings = self.state.settings.get();
        match of {
            LegacyApp::Library { connector } => {
                let entry = self
                    .state
                    .library_entry(connector)
                    .filter(|e| e.auth_type == AuthKind::Legacy)
                    .ok_or_else(|| Error::NotFound(format!("a legacy Library entry for {connector}")))?;
                let orgs = settings
                    .installations
                    .iter()
                    .filter(|i| &i.connector == connector && i.source == AppSource::Shared && i.auth_type == AuthKind::Legacy)
                    .map(|i| i.organization.clone())
                    .collect();
                Ok((connector.clone(), entry.values, orgs))
            }
            LegacyApp::Installation { id } => {
                let i = self.state.installation(id)?;
                if i.auth_type != AuthKind::Legacy || i.source != AppSource::Own {
                    return Err(Error::NotFound(format!("a legacy own app on installation {id}")));
                }
                let mut values = i.own_app.clone();
                values.entry("scopes".into()).or_insert_with(|| i.scopes.to_string());
                Ok((i.connector, values, BTreeSet::from([i.organization])))
            }
        }
    }

    async fn tenant_of(&self, organization: String) -> TenantFinding {
        let found = DevOps::new(self.state.http(), self.state.endpoints()).discover_tenant(&organization).await;
        let (tenant, problem) = match found {
            Ok(Some(OrgTenant::Tenant(t))) => (Some(t), None),
            Ok(Some(OrgTenant::PersonalAccounts)) => {
                (None, Some("backed by personal Microsoft accounts, which an Entra app can't sign in to Azure DevOps".to_string()))
            }
            Ok(None) => (None, Some("Azure DevOps didn't name its tenant".to_string())),
            Err(e) => (None, Some(e.to_string())),
        };
        TenantFinding { organization, tenant, problem }
    }
}

/// The Supported account types to register. A single-tenant app signs in only accounts of
/// the tenant it is *registered in* (Entra, quickstart-register-app): registered in a
/// partner's own tenant, every customer elsewhere fails with AADSTS700016. So a shared
/// Library entry, which may serve organizations in any tenant later, is multitenant; an
/// own installation's app may be single-tenant, registered in its organization's tenant.
fn audience(tenants: &[TenantFinding], shared: bool) -> (Audience, String) {
    const MULTI: &str = "Multitenant (Accounts in any organizational directory)";
    let known: BTreeSet<&str> = tenants.iter().filter_map(|t| t.tenant.as_ref().map(TenantId::as_str)).collect();
    match (known.len(), shared) {
        (0, true) => (
            Audience::MultiTenant,
            format!("{MULTI}: the users of a shared app may be in any organization's tenant, and a single-tenant app signs in only the accounts of the tenant it is registered in."),
        ),
        (0, false) => (
            Audience::Unknown,
            "Single tenant only if the app is registered in the organization's own tenant; otherwise multitenant (Accounts in any organizational directory).".into(),
        ),
        (1, true) => (
            Audience::MultiTenant,
            format!(
                "{MULTI}: installations may come from other tenants than {}. Single tenant works only while every organization is in that tenant and the app is registered in it.",
                known.first().copied().unwrap_or_default()
            ),
        ),
        (1, false) => (
            Audience::SingleTenant,
            format!(
                "Single tenant (Accounts in this organizational directory only), registered in tenant {} itself: a single-tenant app signs in only the accounts of the tenant it is registered in.",
                known.first().copied().unwrap_or_default()
            ),
        ),
        (n, _) => (Audience::MultiTenant, format!("{MULTI}: these organizations are in {n} different tenants.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T1: &str = "11111111-1111-4111-8111-111111111111";
    const T2: &str = "22222222-2222-4222-8222-222222222222";

    fn finding(org: &str, tenant: Option<&str>) -> TenantFinding {
        TenantFinding { organization: org.into(), tenant: tenant.map(|t| TenantId::parse(t).unwrap()), problem: None }
    }

    #[test]
    fn an_own_apps_one_tenant_is_single_tenant_registered_there_and_two_are_multitenant() {
        let own = |t: &[TenantFinding]| audience(t, false);
        assert_eq!(own(&[finding("a", Some(T1))]).0, Audience::SingleTenant);
        assert!(own(&[finding("a", Some(T1))]).1.contains(&format!("registered in tenant {T1}")), "{}", own(&[finding("a", Some(T1))]).1);
        assert_eq!(own(&[finding("a", Some(T1)), finding("b", Some(T2))]).0, Audience::MultiTenant);
        assert_eq!(own(&[finding("a", None)]).0, Audience::Unknown);
    }

    #[test]
    fn a_shared_entry_is_multitenant_even_when_its_organizations_share_one_tenant_today() {
        for tenants in [vec![], vec![finding("a", Some(T1)), finding("b", Some(T1))], vec![finding("a", Some(T1)), finding("b", Some(T2))]]
        {
            let (kind, text) = audience(&tenants, true);
            assert_eq!(kind, Audience::MultiTenant, "{text}");
            assert!(text.contains("Accounts in any organizational directory"), "{text}");
        }
    }
}
