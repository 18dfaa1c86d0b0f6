//! A library entry: what is saved, how input is validated, and the export format.
//! Non-secret values go to the settings file; the Client Secret only to the keychain.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::model::connectors::{FieldKind, Manifest};
use crate::model::ids::ClientId;
use crate::model::registration::{AppRegistration, AuthKind};
use crate::model::scopes::{catalog, recommended_scope_warning};
use crate::model::validate;
use crate::secret::Secret;
use ts_rs::TS;

/// A saved entry. `values` holds every non-secret field, normalized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryEntry {
    pub auth_type: AuthKind,
    #[ts(type = "Record<string, string>")]
    pub values: BTreeMap<String, String>,
    /// Whether a Client Secret is in the keychain for this entry.
    pub has_secret: bool,
    /// Seconds since the Unix epoch.
    #[ts(type = "number")]
    pub updated_at: u64,
}

impl LibraryEntry {
    /// The app this entry describes, parsed from its values.
    pub fn registration(&self, manifest: &Manifest) -> crate::error::Result<AppRegistration> {
        AppRegistration::from_values(manifest, self.auth_type, &self.values)
    }

    /// The Client ID of the app this entry describes (`None` for a file edited into one
    /// without a valid one: such an entry never signs in, so nothing is known of its app).
    pub fn client_id(&self) -> Option<ClientId> {
        ClientId::parse(self.values.get("client_id")?).ok()
    }
}

/// What the form submits. A blank `secret` with an existing one keeps it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct EntryInput {
    pub connector: String,
    pub auth_type: String,
    #[serde(default)]
    #[ts(as = "Option<BTreeMap<String, String>>", optional)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    #[ts(as = "Option<String>", optional = nullable)]
    pub secret: Option<Secret>,
}

/// The validated entry and what the admin should know about it.
#[derive(Debug)]
pub struct Validated {
    pub auth_type: AuthKind,
    pub values: BTreeMap<String, String>,
    /// `Some` when a new secret was entered; `None` keeps (or needs no) secret.
    pub new_secret: Option<Secret>,
    pub warnings: Vec<String>,
}

/// The Client Secret of a legacy app is a JWT ("eyJ…", three dot-separated parts);
/// the App Secret is not. A mismatch is the most common setup mistake.
pub fn looks_like_client_secret(s: &str) -> bool {
    s.starts_with("eyJ") && s.split('.').count() >= 2
}

/// Checks every field, collecting one error per bad field.
pub fn validate_entry(manifest: &Manifest, input: &EntryInput, has_existing_secret: bool) -> Result<Validated, Vec<FieldError>> {
    let Some(auth) = input.auth_type.parse().ok().and_then(|kind| manifest.auth_option(kind)) else {
        return Err(vec![FieldError::new("auth_type", "Choose an auth type.")]);
    };
    let legacy = auth.id == AuthKind::Legacy;
    let mut errors = Vec::new();
    let mut values = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut new_secret = None;
    for f in &auth.fields {
        let raw = input.values.get(&f.id).map(String::as_str).unwrap_or("").trim();
        match f.kind {
            FieldKind::Secret => {
                let given = input.secret.as_ref().filter(|s| !s.is_empty());
                match given {
                    Some(s) => {
                        if legacy && !looks_like_client_secret(s.expose().trim()) {
                            warnings.push("The Client Secret doesn't look like one: Microsoft's Client Secret is a long token starting with \"eyJ\". If you copied the \"App Secret\", sign-in will fail with invalid_client.".into());
                        }
                        new_secret = Some(Secret::new(s.expose().trim()));
                    }
                    None if f.required && !has_existing_secret => {
                        errors.push(FieldError { field: f.id.clone(), message: format!("{} is required for this auth type.", f.label) })
                    }
                    None => {}
                }
            }
            FieldKind::Scopes => match validate::scopes(raw, legacy) {
                Ok(set) => {
                    for r in set.retired() {
                        warnings.push(format!("{r} is a retired scope. It is kept because registered scopes can't be edited, but Microsoft no longer offers it."));
                    }
                    // Microsoft's table marks the service hooks scopes "(No longer public.)": the
                    // Entra portal doesn't offer them, so an Entra app registration can't list them.
                    for s in set.iter().filter(|s| !legacy && catalog().get(s).is_some_and(|e| e.not_public)) {
                        warnings.push(format!("{s} is no longer public: the Entra portal doesn't offer it as a permission to add, so sign-in fails unless the app registration already has it. Remove it."));
                    }
                    if let Some(w) = recommended_scope_warning(&set) {
                        warnings.push(w);
                    }
                    values.insert(f.id.clone(), set.to_string());
                }
                Err(message) => errors.push(FieldError { field: f.id.clone(), message }),
            },
            _ if raw.is_empty() && !f.required => {}
            _ if raw.is_empty() => errors.push(FieldError { field: f.id.clone(), message: format!("{} is required.", f.label) }),
            kind => match validate::field(kind, &f.label, raw) {
                Ok(v) => {
                    values.insert(f.id.clone(), v);
                }
                Err(message) => errors.push(FieldError { field: f.id.clone(), message }),
            },
        }
    }
    if errors.is_empty() {
        Ok(Validated { auth_type: auth.id, values, new_secret, warnings })
    } else {
        Err(errors)
    }
}

pub const EXPORT_FORMAT: &str = "connector-console.library-entry";

/// An entry as handed to another machine: everything but the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportedEntry {
    pub format: String,
    pub version: u32,
    pub connector: String,
    pub auth_type: String,
    #[ts(type = "Record<string, string>")]
    pub values: BTreeMap<String, String>,
    /// Whether the original had a secret, so the importer knows to ask for one.
    pub needs_secret: bool,
}

pub fn export(connector: &str, entry: &LibraryEntry) -> ExportedEntry {
    ExportedEntry {
        format: EXPORT_FORMAT.into(),
        version: 1,
        connector: connector.into(),
        auth_type: entry.auth_type.to_string(),
        values: entry.values.clone(),
        needs_secret: entry.has_secret,
    }
}

/// Reads an exported entry; the result pre-fills the form, and the admin enters the secret.
pub fn import(text: &str, manifest_for: impl Fn(&str) -> Option<&'static Manifest>) -> Result<ExportedEntry, String> {
    let e: ExportedEntry = serde_json::from_str(text.trim()).map_err(|e| format!("This is not an exported library entry ({e})."))?;
    if e.format != EXPORT_FORMAT || e.version != 1 {
        return Err(format!("Unsupported export format {} version {}.", e.format, e.version));
    }
    let manifest = manifest_for(&e.connector).ok_or_else(|| format!("Unknown connector \"{}\".", e.connector))?;
    if e.auth_type.parse().ok().and_then(|kind| manifest.auth_option(kind)).is_none() {
        return Err(format!("Unknown auth type \"{}\" for {}.", e.auth_type, manifest.name));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::connectors::{azure_devops, get};

    fn input(auth: &str, values: &[(&str, &str)], secret: Option<&str>) -> EntryInput {
        EntryInput {
            connector: "azure-devops".into(),
            auth_type: auth.into(),
            values: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            secret: secret.map(Secret::new),
        }
    }

    const APP_ID: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";

    #[test]
    fn a_valid_legacy_entry_is_normalized() {
        let i = input(
            "legacy",
            &[("client_id", APP_ID), ("scopes", "Work items (full), vso.project"), ("service_domain", "https://app-h.cyclr.com/")],
            Some("eyJ0eXAi.abc.def"),
        );
        let v = validate_entry(azure_devops(), &i, false).unwrap();
        assert_eq!(v.values["scopes"], "vso.project vso.work_full");
        assert_eq!(v.values["service_domain"], "app-h.cyclr.com");
        assert!(v.new_secret.is_some());
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    }

    #[test]
    fn every_bad_field_gets_its_own_error() {
        let i = input("legacy", &[("client_id", "not-a-guid"), ("scopes", "vso.nope"), ("service_domain", "http://x.com")], None);
        let errs = validate_entry(azure_devops(), &i, false).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["client_id", "client_secret", "scopes", "service_domain"]);
    }

    #[test]
    fn legacy_needs_a_secret_unless_one_is_stored_and_entra_never_does() {
        let legacy = input("legacy", &[("client_id", APP_ID), ("scopes", "vso.work_full"), ("service_domain", "a.example.com")], None);
        assert!(validate_entry(azure_devops(), &legacy, false).is_err());
        assert!(validate_entry(azure_devops(), &legacy, true).is_ok());
        let entra = input("entra", &[("client_id", APP_ID), ("tenant_id", "organizations"), ("scopes", "vso.work_full")], None);
        assert!(validate_entry(azure_devops(), &entra, false).is_ok());
    }

    #[test]
    fn an_app_secret_lookalike_and_missing_work_full_are_warned_about() {
        let i =
            input("legacy", &[("client_id", APP_ID), ("scopes", "vso.code"), ("service_domain", "a.example.com")], Some("demo-app-secret"));
        let v = validate_entry(azure_devops(), &i, false).unwrap();
        assert!(v.warnings.iter().any(|w| w.contains("App Secret")));
        assert!(v.warnings.iter().any(|w| w.contains("Work items (full)")));
    }

    #[test]
    fn service_hooks_on_an_entra_entry_are_warned_about_and_on_a_legacy_one_are_not() {
        let scopes = ("scopes", "vso.work_full vso.hooks_write");
        let entra = input("entra", &[("client_id", APP_ID), ("tenant_id", "organizations"), scopes], None);
        let warnings = validate_entry(azure_devops(), &entra, false).unwrap().warnings;
        assert!(warnings.iter().any(|w| w.starts_with("vso.hooks_write is no longer public")), "{warnings:?}");
        let legacy = input("legacy", &[("client_id", APP_ID), scopes, ("service_domain", "a.example.com")], Some("eyJ0eXAi.abc.def"));
        let warnings = validate_entry(azure_devops(), &legacy, false).unwrap().warnings;
        assert!(!warnings.iter().any(|w| w.contains("no longer public")), "a legacy registration may hold it: {warnings:?}");
    }

    #[test]
    fn export_has_no_secret_and_imports_back() {
        let entry = LibraryEntry {
            auth_type: AuthKind::Legacy,
            values: BTreeMap::from([("client_id".into(), APP_ID.into())]),
            has_secret: true,
            updated_at: 5,
        };
        let text = serde_json::to_string(&export("azure-devops", &entry)).unwrap();
        assert!(!text.contains("secret\":\""), "{text}");
        let back = import(&text, get).unwrap();
        assert_eq!(back.values, entry.values);
        assert!(back.needs_secret);
        assert!(import("{}", get).is_err());
        assert!(import(&text.replace("azure-devops", "jira"), get).unwrap_err().contains("Unknown connector"));
    }
}
