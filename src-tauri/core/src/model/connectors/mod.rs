//! Connector definitions are data: one JSON manifest per connector holds its
//! name, auth types and their fields, install fields, endpoints and methods.
//! The screens render whatever the manifests say.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Manifest {
    pub id: String,
    pub name: String,
    pub description: String,
    pub recommended_scope: String,
    pub recommended_scope_note: String,
    pub sign_in_waiting: SignInWaiting,
    pub auth_types: Vec<AuthOption>,
    pub install_fields: Vec<Field>,
    /// Real Microsoft hosts by role; an endpoint override replaces them all.
    #[ts(type = "Record<string, string>")]
    pub endpoints: BTreeMap<String, String>,
    pub methods: Vec<Method>,
}

/// Which Microsoft flow an app uses. Stored as `"entra"` / `"legacy"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Microsoft Entra ID (v2.0, PKCE): the replacement.
    Entra,
    /// Azure DevOps OAuth (the `Assertion` flow), retired by Microsoft in 2026.
    Legacy,
}

impl AuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entra => "entra",
            Self::Legacy => "legacy",
        }
    }
}

impl fmt::Display for AuthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuthKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "entra" => Ok(Self::Entra),
            "legacy" => Ok(Self::Legacy),
            other => Err(Error::field("auth_type", format!("Choose an auth type (\"{other}\" is not one)."))),
        }
    }
}

/// How a connector offers one `AuthKind`: its label, fields and registration page.
/// (Forms send the kind itself as `auth_type`, parsed once by `AuthKind::from_str`.)
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AuthOption {
    pub id: AuthKind,
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
    pub sign_in_copy: SignInCopy,
    pub fields: Vec<Field>,
}

/// What the Install form says while a sign-in waits, by where it happens.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SignInWaiting {
    pub window: String,
    pub browser: String,
}

/// The service-specific words of an auth type's sign-in, so the form has none.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SignInCopy {
    /// Follows "Microsoft will return to <callback>".
    pub callback_note: String,
    /// What an error page instead of a sign-in page means (`{callback}` is filled in).
    pub trouble: String,
    /// Why the browser is the default, when the user can choose a window instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub flow_choice_help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Guid,
    Secret,
    Scopes,
    Tenant,
    Domain,
    Organization,
    Project,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub help: String,
}

/// The connector methods the core can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MethodId {
    ListWorkItems,
    GetWorkItem,
    CreateWorkItem,
    ListAccounts,
    QueryAuditLog,
    GetProfile,
    GetProject,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Method {
    pub id: MethodId,
    pub name: String,
    /// The method works when any one of these is granted (counting inclusion).
    pub any_of: Vec<String>,
    pub description: String,
    /// The form the Methods panel shows.
    pub inputs: Vec<MethodInput>,
    /// The result table's columns: keys of each result row.
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    Text,
    Textarea,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MethodInput {
    pub id: String,
    pub label: String,
    pub kind: InputKind,
    pub required: bool,
    pub default: String,
    pub help: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Column {
    pub id: String,
    pub label: String,
}

static MANIFESTS: LazyLock<Vec<Manifest>> =
    LazyLock::new(|| vec![serde_json::from_str(include_str!("azure-devops.json")).expect("azure-devops.json is valid")]);

pub fn all() -> &'static [Manifest] {
    &MANIFESTS
}

pub fn get(id: &str) -> Option<&'static Manifest> {
    MANIFESTS.iter().find(|m| m.id == id)
}

/// A connector the caller names, or a clear error.
pub fn require(id: &str) -> Result<&'static Manifest> {
    get(id).ok_or_else(|| Error::NotFound(format!("connector \"{id}\"")))
}

/// The Azure DevOps connector, which the scope engine and sign-in are built for.
pub fn azure_devops() -> &'static Manifest {
    get("azure-devops").expect("the Azure DevOps manifest ships with the app")
}

impl Manifest {
    pub fn method(&self, id: MethodId) -> Option<&Method> {
        self.methods.iter().find(|m| m.id == id)
    }

    pub fn auth_option(&self, kind: AuthKind) -> Option<&AuthOption> {
        self.auth_types.iter().find(|a| a.id == kind)
    }
}

impl AuthOption {
    /// The redirect (callback) URI to register, with the template's values filled in as given:
    /// they must be checked already (a saved entry's are; `validate::redirect_uri` checks typed ones).
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
        let legacy = m.auth_option(AuthKind::Legacy).unwrap();
        assert_eq!(legacy.redirect_template.as_deref(), Some("https://{service_domain}/connector/callback"));
        assert!(legacy.secret_field().unwrap().required);
        assert!(!m.auth_option(AuthKind::Entra).unwrap().secret_field().unwrap().required);
    }
}
