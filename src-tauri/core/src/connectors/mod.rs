//! Connector definitions are data: one JSON manifest per connector holds its
//! name, auth types and their fields, install fields, endpoints and methods.
//! The screens render whatever the manifests say.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    pub description: String,
    pub recommended_scope: String,
    pub recommended_scope_note: String,
    pub auth_types: Vec<AuthType>,
    pub install_fields: Vec<Field>,
    /// Real Microsoft hosts by role; an endpoint override replaces them all.
    pub endpoints: BTreeMap<String, String>,
    pub methods: Vec<Method>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthType {
    pub id: String,
    pub label: String,
    pub explanation: String,
    pub registration_url: String,
    /// A fixed redirect URI to register (Entra), or…
    #[serde(default)]
    pub redirect_uri: Option<String>,
    /// …one built from field values, e.g. `https://{service_domain}/connector/callback`.
    #[serde(default)]
    pub redirect_template: Option<String>,
    pub redirect_note: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Guid,
    Secret,
    Scopes,
    Tenant,
    Domain,
    Organization,
    Project,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub help: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Method {
    pub id: String,
    pub name: String,
    /// The method works when any one of these is granted (counting inclusion).
    pub any_of: Vec<String>,
}

static MANIFESTS: LazyLock<Vec<Manifest>> =
    LazyLock::new(|| vec![serde_json::from_str(include_str!("azure-devops.json")).expect("azure-devops.json is valid")]);

pub fn all() -> &'static [Manifest] {
    &MANIFESTS
}

pub fn get(id: &str) -> Option<&'static Manifest> {
    MANIFESTS.iter().find(|m| m.id == id)
}

/// The Azure DevOps connector, which the scope engine and sign-in are built for.
pub fn azure_devops() -> &'static Manifest {
    get("azure-devops").expect("the Azure DevOps manifest ships with the app")
}

impl Manifest {
    pub fn auth_type(&self, id: &str) -> Option<&AuthType> {
        self.auth_types.iter().find(|a| a.id == id)
    }
}

impl AuthType {
    /// The redirect (callback) URI to register, once its fields are known.
    pub fn redirect_for(&self, values: &BTreeMap<String, String>) -> Option<String> {
        if let Some(fixed) = &self.redirect_uri {
            return Some(fixed.clone());
        }
        let mut out = self.redirect_template.clone()?;
        for (k, v) in values {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        (!out.contains('{')).then_some(out)
    }

    pub fn secret_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.kind == FieldKind::Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_devops_manifest_has_both_auth_types_and_the_legacy_callback() {
        let m = azure_devops();
        assert_eq!(m.auth_types.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["entra", "legacy"]);
        let legacy = m.auth_type("legacy").unwrap();
        let values = BTreeMap::from([("service_domain".to_string(), "app-h.cyclr.com".to_string())]);
        assert_eq!(legacy.redirect_for(&values).unwrap(), "https://app-h.cyclr.com/connector/callback");
        assert_eq!(legacy.redirect_for(&BTreeMap::new()), None);
        assert!(legacy.secret_field().unwrap().required);
        assert!(!m.auth_type("entra").unwrap().secret_field().unwrap().required);
    }
}
