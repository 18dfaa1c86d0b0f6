//! The ids of an app registration, parsed once: its Client ID and a tenant; and an
//! installation's id. Past the parse everything works on these types, never on bare text, so
//! a tenant can't be passed where a Client ID belongs, nor a connector's name where an
//! installation's id does. Their rules live here (below `validate`, which checks the form's
//! fields with them) so the model's records can hold the types without depending on the
//! form's rules.
//!
//! Serialized as the text itself, so settings files and the UI's payloads read as before.
//! Read back as written, never re-checked: this app parsed them before writing them, and a
//! settings file that loads today must still load.

use std::fmt;
use std::sync::LazyLock;

use rand::distributions::{Alphanumeric, DistString};
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

/// A tenant: a GUID (Directory (tenant) ID), a verified domain, `organizations` or `common`,
/// lowercase. What an app signs in to, what discovery found an organization in, and what
/// answered a token request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(String);

impl TenantId {
    /// The Tenant ID field's rule, its message said on the `tenant_id` field.
    pub fn parse(text: &str) -> Result<Self> {
        tenant(text).map(Self).map_err(|message| Error::field("tenant_id", message))
    }

    /// Entra's shared endpoint for work and school accounts: where a sign-in goes when no
    /// tenant is set or found.
    pub fn organizations() -> &'static Self {
        static ORGANIZATIONS: LazyLock<TenantId> = LazyLock::new(|| TenantId("organizations".into()));
        &ORGANIZATIONS
    }

    /// A Directory (tenant) ID: the one kind that names a single tenant (`organizations`,
    /// `common` or a domain don't say which tenant answered).
    pub fn is_guid(&self) -> bool {
        is_guid(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new installation's id: twelve lowercase letters and digits.
pub fn new_id() -> InstallationId {
    InstallationId(Alphanumeric.sample_string(&mut rand::thread_rng(), 12).to_ascii_lowercase())
}

/// An installation's id. Parsed where it comes in (a command, the command line), it is
/// checked: it names a lock file and keychain accounts, so it is ASCII letters, digits and
/// `-` only (what `new_id` makes, and UUIDs), never a path.
///
/// Serialized as the text itself, so settings files and the UI's payloads read as before;
/// read back as written, never re-checked, so a settings file that loads today still loads
/// (the lock file's name checks it again: `Tokens::file_lock`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InstallationId(String);

impl InstallationId {
    /// Longer than any id this app made: not one of its ids.
    const MAX_LEN: usize = 64;

    pub fn parse(id: &str) -> Result<Self> {
        let shaped = (1..=Self::MAX_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !shaped {
            // The text itself is not echoed: it came from outside and may be anything.
            return Err(Error::InvalidInput {
                field: "installation".into(),
                problem: "that is not an installation id (letters, digits and dashes, as `list` shows them)".into(),
            });
        }
        Ok(Self(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstallationId {
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

    #[test]
    fn a_tenant_is_a_guid_a_domain_organizations_or_common_kept_lowercase() {
        let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        for (typed, kept) in [
            (" 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ", tenant),
            ("Contoso.onmicrosoft.com", "contoso.onmicrosoft.com"),
            ("contoso.com", "contoso.com"),
            ("Organizations", "organizations"),
            ("common", "common"),
        ] {
            assert_eq!(TenantId::parse(typed).unwrap().as_str(), kept, "{typed:?}");
        }
        assert!(TenantId::parse(tenant).unwrap().is_guid());
        assert!(!TenantId::parse("contoso.com").unwrap().is_guid() && !TenantId::organizations().is_guid());
        assert_eq!(TenantId::organizations(), &TenantId::parse("organizations").unwrap());
        let rule =
            "Tenant ID must be a GUID (Directory (tenant) ID), a verified domain such as contoso.com, \"organizations\" or \"common\".";
        for (bad, message) in [
            ("", rule),
            ("not a tenant", rule),
            ("contoso", rule),
            ("{72f988bf-86f1-41af-91ab-2d7cd011db47}", rule),
            ("-contoso.com", rule),
            ("Consumers", "\"consumers\" means personal Microsoft accounts, which Entra apps can't use with Azure DevOps. Use your tenant ID, your domain or \"organizations\"."),
        ] {
            let e = TenantId::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{bad:?}");
            assert_eq!((e.fields()[0].field.as_str(), e.fields()[0].message.as_str()), ("tenant_id", message), "{bad:?}");
        }
    }

    #[test]
    fn a_tenant_is_written_and_read_as_its_text() {
        let tenant = TenantId::parse("contoso.com").unwrap();
        assert_eq!(serde_json::to_string(&tenant).unwrap(), "\"contoso.com\"");
        assert_eq!(serde_json::from_str::<TenantId>("\"contoso.com\"").unwrap(), tenant);
        assert_eq!(tenant.to_string(), "contoso.com");
    }

    #[test]
    fn only_id_shaped_text_is_an_installation_id() {
        for good in [new_id().to_string(), "k3x9q2m7p4ta".into(), "c1f2e3d4-0000-4000-8000-000000000003".into()] {
            assert_eq!(InstallationId::parse(&good).unwrap().as_str(), good);
        }
        let long = "a".repeat(65);
        for bad in ["", "../../etc/passwd", "..", "a/b", r"a\b", "a.lock", "id with space", "é", long.as_str()] {
            assert_eq!(InstallationId::parse(bad).unwrap_err().code(), "invalid_input", "{bad:?}");
        }
    }

    #[test]
    fn an_installation_id_is_written_and_read_as_its_text() {
        let id = InstallationId::parse("k3x9q2m7p4ta").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"k3x9q2m7p4ta\"");
        assert_eq!(serde_json::from_str::<InstallationId>("\"k3x9q2m7p4ta\"").unwrap(), id);
        assert_eq!(id.to_string(), "k3x9q2m7p4ta");
    }
}
