//! What an app registration is, parsed once: the auth kind, the client id, the
//! tenant (Entra), the scopes as a `ScopeSet`, the service domain (legacy) and
//! the redirect it registered. Settings keep the form's field values as a map
//! (the manifest decides the fields); everything that signs in or refreshes
//! works on this type instead of reading `values["client_id"]`.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
pub use crate::model::connectors::AuthKind;
use crate::model::connectors::Manifest;
use crate::model::ids::{ClientId, TenantId};
use crate::model::scopes::{parse_scopes, ScopeSet};

/// An app registration as sign-in and refresh need it.
#[derive(Debug, Clone, PartialEq)]
pub struct AppRegistration {
    pub kind: AuthKind,
    pub client_id: ClientId,
    /// Entra: the tenant to sign in to (`organizations` when none is set).
    pub tenant: Option<TenantId>,
    /// Entra: the tenant a single-tenant app is registered in (its only tenant), when the
    /// entry says so; `None` for a multitenant app or when unknown.
    pub single_tenant_home: Option<TenantId>,
    pub scopes: ScopeSet,
    /// Legacy: the host of the registered callback.
    pub service_domain: Option<String>,
    /// Legacy: the registered HTTPS callback. Entra: the registered `http://localhost`.
    pub redirect_uri: String,
}

impl AppRegistration {
    /// Reads validated field values (a library entry's, or an own app's).
    /// A value missing from a hand-edited file is an error, never a panic.
    pub fn from_values(manifest: &Manifest, kind: AuthKind, values: &BTreeMap<String, String>) -> Result<Self> {
        let broken = |detail: &str| Error::SettingsInvalid { what: "app registration".into(), detail: detail.into() };
        let auth = manifest.auth_option(kind).ok_or_else(|| broken("its auth type is not offered by this connector"))?;
        let client_id = values.get("client_id").filter(|v| !v.is_empty()).ok_or_else(|| broken("the Client ID is missing"))?;
        let client_id = ClientId::parse(client_id).map_err(|_| broken("the Client ID is not a GUID"))?;
        let scopes = parse_scopes(values.get("scopes").map(String::as_str).unwrap_or(""))?;
        let redirect_uri = auth.redirect_for(values).ok_or_else(|| Error::field("service_domain", "Service domain is required."))?;
        let tenant_at = |key: &str, broken_as: &str| {
            values.get(key).filter(|v| !v.is_empty()).map(|v| TenantId::parse(v).map_err(|_| broken(broken_as))).transpose()
        };
        Ok(Self {
            kind,
            client_id,
            tenant: tenant_at("tenant_id", "the Tenant ID is not a tenant ID")?,
            single_tenant_home: tenant_at("single_tenant_home", "the Single-tenant app's tenant is not a tenant ID")?,
            scopes,
            service_domain: values.get("service_domain").cloned(),
            redirect_uri,
        })
    }

    pub fn is_legacy(&self) -> bool {
        self.kind == AuthKind::Legacy
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::connectors::azure_devops;

    const APP: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn auth_kind_round_trips_as_the_strings_settings_use() {
        assert_eq!(serde_json::to_string(&AuthKind::Legacy).unwrap(), "\"legacy\"");
        assert_eq!("entra".parse::<AuthKind>().unwrap(), AuthKind::Entra);
        assert_eq!("oauth".parse::<AuthKind>().unwrap_err().fields()[0].field, "auth_type");
    }

    #[test]
    fn a_legacy_registration_is_parsed_once_with_its_callback() {
        let v = values(&[("client_id", APP), ("scopes", "vso.work_full vso.project"), ("service_domain", "app-h.cyclr.com")]);
        let r = AppRegistration::from_values(azure_devops(), AuthKind::Legacy, &v).unwrap();
        assert_eq!(r.redirect_uri, "https://app-h.cyclr.com/connector/callback");
        assert_eq!(r.scopes.to_string(), "vso.project vso.work_full");
        assert!(r.is_legacy() && r.tenant.is_none());
    }

    #[test]
    fn missing_values_are_errors_not_panics() {
        let no_id = AppRegistration::from_values(azure_devops(), AuthKind::Entra, &values(&[("scopes", "vso.work")])).unwrap_err();
        assert_eq!(no_id.code(), "settings_invalid");
        let no_domain =
            AppRegistration::from_values(azure_devops(), AuthKind::Legacy, &values(&[("client_id", APP), ("scopes", "vso.work")]))
                .unwrap_err();
        assert_eq!(no_domain.fields()[0].field, "service_domain");
        let entra =
            AppRegistration::from_values(azure_devops(), AuthKind::Entra, &values(&[("client_id", APP), ("scopes", "vso.work")])).unwrap();
        assert_eq!(entra.tenant, None);
    }

    #[test]
    fn a_client_id_is_parsed_once_and_one_that_is_no_guid_is_a_broken_file() {
        let braced = values(&[("client_id", "{4C6F5A0E-8F2A-4D4B-9F7E-1A2B3C4D5E6F}"), ("scopes", "vso.work")]);
        assert_eq!(AppRegistration::from_values(azure_devops(), AuthKind::Entra, &braced).unwrap().client_id.as_str(), APP);
        let not_a_guid = values(&[("client_id", "x"), ("scopes", "vso.work")]);
        let e = AppRegistration::from_values(azure_devops(), AuthKind::Entra, &not_a_guid).unwrap_err();
        assert_eq!(e.code(), "settings_invalid");
        assert!(e.to_string().contains("the Client ID is not a GUID"), "{e}");
    }

    #[test]
    fn tenants_are_parsed_once_and_one_that_is_no_tenant_is_a_broken_file() {
        let v = values(&[("client_id", APP), ("scopes", "vso.work"), ("tenant_id", "Contoso.com"), ("single_tenant_home", APP)]);
        let r = AppRegistration::from_values(azure_devops(), AuthKind::Entra, &v).unwrap();
        assert_eq!((r.tenant.unwrap().as_str(), r.single_tenant_home.unwrap().as_str()), ("contoso.com", APP));
        for key in ["tenant_id", "single_tenant_home"] {
            let v = values(&[("client_id", APP), ("scopes", "vso.work"), (key, "consumers")]);
            let e = AppRegistration::from_values(azure_devops(), AuthKind::Entra, &v).unwrap_err();
            assert_eq!(e.code(), "settings_invalid", "{key}");
        }
    }
}
