//! The ids of an app registration, parsed once: its Client ID and a tenant. Past the parse
//! everything works on these types, never on bare text, so a tenant can't be passed where a
//! Client ID belongs. Their rules live here (below `validate`, which checks the form's
//! fields with them) so the model's records can hold the types without depending on the
//! form's rules.
//!
//! Serialized as the text itself, so settings files and the UI's payloads read as before.
//! Read back as written, never re-checked: this app parsed them before writing them, and a
//! settings file that loads today must still load.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A GUID field's rule (`label` names the field in the message): braces and case as the
/// portal shows them are accepted, and the GUID is kept lowercase without braces.
pub(crate) fn guid(v: &str, label: &str) -> Result<String, String> {
    let v = v.trim().trim_start_matches('{').trim_end_matches('}');
    if is_guid(v) {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(format!("{label} must be a GUID such as 4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f (copy it from the app's page)."))
    }
}

pub(crate) fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The Tenant ID field's rule: a GUID, a verified domain, `organizations` or `common`,
/// kept lowercase; `consumers` has its own message.
pub(crate) fn tenant(v: &str) -> Result<String, String> {
    let v = v.trim();
    let lower = v.to_ascii_lowercase();
    if lower == "consumers" {
        return Err("\"consumers\" means personal Microsoft accounts, which Entra apps can't use with Azure DevOps. Use your tenant ID, your domain or \"organizations\".".into());
    }
    if lower == "organizations" || lower == "common" || is_guid(&lower) || (lower.contains('.') && is_hostname(&lower)) {
        return Ok(lower);
    }
    Err("Tenant ID must be a GUID (Directory (tenant) ID), a verified domain such as contoso.com, \"organizations\" or \"common\".".into())
}

/// An app registration's Application (client) ID: a GUID, lowercase, without braces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(String);

impl ClientId {
    /// The Client ID field's rule, its message said on the `client_id` field.
    pub fn parse(text: &str) -> Result<Self> {
        guid(text, "Client ID").map(Self).map_err(|message| Error::field("client_id", message))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f";

    #[test]
    fn a_client_id_is_a_guid_kept_lowercase_without_braces() {
        for good in [APP, " {4C6F5A0E-8F2A-4D4B-9F7E-1A2B3C4D5E6F} ", "4c6f5a0e-8f2a-4d4b-9f7e-1A2B3C4D5E6F"] {
            assert_eq!(ClientId::parse(good).unwrap().as_str(), APP, "{good:?}");
        }
        for bad in ["", "x", "4c6f5a0e8f2a4d4b9f7e1a2b3c4d5e6f", "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6g", "organizations", "contoso.com"] {
            let e = ClientId::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{bad:?}");
            assert_eq!(e.fields()[0].field, "client_id");
            assert_eq!(
                e.fields()[0].message,
                "Client ID must be a GUID such as 4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f (copy it from the app's page)."
            );
        }
    }

    #[test]
    fn a_client_id_is_written_and_read_as_its_text() {
        let id = ClientId::parse(APP).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{APP}\""));
        assert_eq!(serde_json::from_str::<ClientId>(&format!("\"{APP}\"")).unwrap(), id);
        assert_eq!(id.to_string(), APP);
    }
}
