//! Field rules, one function per kind of field. Each broken rule has its own
//! message that says what to fix. Names follow Azure DevOps' naming rules
//! (https://learn.microsoft.com/en-us/azure/devops/organizations/settings/naming-restrictions).

use std::collections::BTreeMap;

use crate::model::connectors::{AuthOption, FieldKind};
use crate::model::ids::{guid, is_hostname, tenant};
use crate::model::scopes::{catalog, parse_scopes, ScopeSet};

/// The service domain of a legacy callback: a host name, HTTPS implied.
fn domain(v: &str) -> Result<String, String> {
    let mut d = v.trim().to_ascii_lowercase();
    if d.starts_with("http://") {
        return Err("The callback must be HTTPS. Enter just the domain, e.g. app-h.cyclr.com.".into());
    }
    if let Some(rest) = d.strip_prefix("https://") {
        d = rest.to_string();
    }
    let d = d.trim_end_matches('/');
    if d.contains('/') || d.contains('?') || d.contains('#') {
        return Err("Enter only the domain, without a path, e.g. app-h.cyclr.com.".into());
    }
    let host = d.split_once(':').map(|(h, port)| (h, port.parse::<u16>().is_ok())).unwrap_or((d, true));
    if !host.1 || !(is_hostname(host.0) && (host.0.contains('.') || host.0 == "localhost")) {
        return Err("Service domain must be a domain name such as app-h.cyclr.com.".into());
    }
    Ok(d.to_string())
}

/// Organization names: letters, digits and hyphens; start and end with a
/// letter or digit; at most 50 characters.
pub fn organization(v: &str) -> Result<String, String> {
    let v = v.trim();
    let v = v.strip_prefix("https://dev.azure.com/").unwrap_or(v).trim_end_matches('/');
    if v.is_empty() {
        return Err("Organization ID is required.".into());
    }
    if v.chars().count() > 50 {
        return Err(format!("Organization names have at most 50 characters; this one has {}.", v.chars().count()));
    }
    if let Some(c) = v.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        return Err(format!("Organization names use only letters, digits and hyphens; remove \"{c}\"."));
    }
    if v.starts_with('-') || v.ends_with('-') {
        return Err("Organization names start and end with a letter or digit, not a hyphen.".into());
    }
    Ok(v.to_string())
}

const PROJECT_FORBIDDEN: &[char] =
    &['/', ':', '\\', '~', '&', '%', ';', '@', '\'', '"', '?', '<', '>', '|', '#', '$', '*', '}', '{', ',', '+', '=', '[', ']'];
const PROJECT_RESERVED: &[&str] = &[
    "PRN",
    "COM1",
    "COM2",
    "COM3",
    "COM4",
    "COM5",
    "COM6",
    "COM7",
    "COM8",
    "COM9",
    "COM10",
    "LPT1",
    "LPT2",
    "LPT3",
    "LPT4",
    "LPT5",
    "LPT6",
    "LPT7",
    "LPT8",
    "LPT9",
    "NUL",
    "CON",
    "AUX",
    "SERVER",
    "SignalR",
    "DefaultCollection",
    "Web",
    "App_Browsers",
    "App_code",
    "App_Data",
    "App_GlobalResources",
    "App_LocalResources",
    "App_Themes",
    "App_WebResources",
    "bin",
    "web.config",
];

/// Project names: at most 64 characters, none of `/ : \ ~ & % ; @ ' " ? < > | # $ * } { , + = [ ]`,
/// no control characters, not starting with `_`, not starting or ending with `.`, not reserved.
pub fn project(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("Project Name is required.".into());
    }
    if v.chars().count() > 64 {
        return Err(format!("Project names have at most 64 characters; this one has {}.", v.chars().count()));
    }
    if v.chars().any(char::is_control) {
        return Err("Project names can't contain control characters such as tabs or line breaks.".into());
    }
    let bad: String = v.chars().filter(|c| PROJECT_FORBIDDEN.contains(c)).collect();
    if !bad.is_empty() {
        return Err(format!(
            "Project names can't contain {}; remove them.",
            bad.chars().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" ")
        ));
    }
    if v.starts_with('_') {
        return Err("Project names can't start with an underscore.".into());
    }
    if v.starts_with('.') || v.ends_with('.') {
        return Err("Project names can't start or end with a period.".into());
    }
    if let Some(r) = PROJECT_RESERVED.iter().find(|r| r.eq_ignore_ascii_case(v)) {
        return Err(format!("\"{r}\" is a reserved name in Azure DevOps and can't be a project name."));
    }
    Ok(v.to_string())
}

/// Scopes as pasted or picked, normalized. `legacy` forbids Entra's `.default`.
pub fn scopes(v: &str, legacy: bool) -> Result<ScopeSet, String> {
    let set = parse_scopes(v).map_err(|e| format!("{e}. {}", e.hint()))?;
    if set.is_empty() {
        return Err("Choose at least one scope.".into());
    }
    if legacy && set.is_default() {
        return Err(".default exists only in Microsoft Entra ID. Legacy apps need their Authorized scopes listed one by one.".into());
    }
    if let Some(s) = set.iter().find(|s| legacy && catalog().get(s).is_some_and(|e| e.entra_only)) {
        return Err(format!(
            "{s} ({}) is a Microsoft Entra ID permission: a legacy Azure DevOps OAuth app can't have it. Remove it, or use an Entra app.",
            catalog().name_of(s)
        ));
    }
    Ok(set)
}

/// A date as `YYYY-MM-DD`; blank is allowed (an optional field).
fn date(value: &str, label: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() || crate::model::secret_expiry::parse_date(v).is_some() {
        return Ok(v.to_string());
    }
    Err(format!("{label} must be a date like 2027-01-31."))
}

/// The redirect (callback) URI to register for `auth`, from values as typed: each value its
/// template names is first checked as its field is when saved (a domain loses `https://`, a
/// trailing slash and upper case), so the form shows the URI the sign-in will send. `None` while
/// one of them is missing or not yet valid.
pub fn redirect_uri(auth: &AuthOption, typed: &BTreeMap<String, String>) -> Option<String> {
    let template = auth.redirect_template.as_deref().unwrap_or_default();
    let mut checked = BTreeMap::new();
    for f in auth.fields.iter().filter(|f| template.contains(&format!("{{{}}}", f.id))) {
        let value = field(f.kind, &f.label, typed.get(&f.id)?).ok().filter(|v| !v.is_empty())?;
        checked.insert(f.id.clone(), value);
    }
    auth.redirect_for(&checked)
}

/// Checks a non-secret, non-scope field and returns its normalized value.
pub fn field(kind: FieldKind, label: &str, value: &str) -> Result<String, String> {
    match kind {
        FieldKind::Guid => guid(value, label),
        FieldKind::Tenant => tenant(value),
        FieldKind::Domain => domain(value),
        FieldKind::Organization => organization(value),
        FieldKind::Project => project(value),
        FieldKind::Date => date(value, label),
        FieldKind::Secret | FieldKind::Scopes => Ok(value.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::is_guid;

    #[test]
    fn the_redirect_uri_is_the_same_from_typed_and_saved_values() {
        let m = crate::model::connectors::get("azure-devops").unwrap();
        let legacy = m.auth_option(crate::model::connectors::AuthKind::Legacy).unwrap();
        let with = |domain: &str| redirect_uri(legacy, &BTreeMap::from([("service_domain".to_string(), domain.to_string())]));
        let expected = Some("https://app-h.cyclr.com/connector/callback".to_string());
        assert_eq!(with("app-h.cyclr.com"), expected);
        assert_eq!(with(" HTTPS://App-H.cyclr.com/ "), expected, "as typed, normalised as it is saved");
        assert_eq!(with(""), None, "no URL to copy without a domain");
        assert_eq!(with("app-h.cyclr.com/path"), None, "nor with a domain that isn't one");
        assert_eq!(redirect_uri(legacy, &BTreeMap::new()), None);
        let entra = m.auth_option(crate::model::connectors::AuthKind::Entra).unwrap();
        assert_eq!(redirect_uri(entra, &BTreeMap::new()), entra.redirect_uri, "a fixed URI needs no value");
    }

    #[test]
    fn guids() {
        assert!(is_guid("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f"));
        assert!(!is_guid("4c6f5a0e8f2a4d4b9f7e1a2b3c4d5e6f"));
        assert!(!is_guid("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6g"));
        assert_eq!(guid("{4C6F5A0E-8F2A-4D4B-9F7E-1A2B3C4D5E6F}", "Client ID").unwrap(), "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f");
    }

    #[test]
    fn tenants() {
        assert_eq!(tenant("Organizations").unwrap(), "organizations");
        assert!(tenant("contoso.onmicrosoft.com").is_ok());
        assert!(tenant("72f988bf-86f1-41af-91ab-2d7cd011db47").is_ok());
        assert!(tenant("consumers").unwrap_err().contains("personal"));
        assert!(tenant("not a tenant").is_err());
    }

    #[test]
    fn domains() {
        assert_eq!(domain("https://app-h.cyclr.com/").unwrap(), "app-h.cyclr.com");
        assert_eq!(domain("localhost:8443").unwrap(), "localhost:8443");
        assert!(domain("http://app-h.cyclr.com").unwrap_err().contains("HTTPS"));
        assert!(domain("app-h.cyclr.com/connector/callback").unwrap_err().contains("without a path"));
        assert!(domain("no spaces.com").is_err());
    }

    #[test]
    fn organizations_each_rule_has_its_own_message() {
        assert_eq!(organization("contoso").unwrap(), "contoso");
        assert_eq!(organization("https://dev.azure.com/contoso/").unwrap(), "contoso");
        assert!(organization("").unwrap_err().contains("required"));
        assert!(organization(&"a".repeat(51)).unwrap_err().contains("50"));
        assert!(organization("my_org").unwrap_err().contains("\"_\""));
        assert!(organization("-contoso").unwrap_err().contains("hyphen"));
    }

    #[test]
    fn projects_each_rule_has_its_own_message() {
        assert_eq!(project(" Fabrikam Fiber ").unwrap(), "Fabrikam Fiber");
        assert!(project(&"p".repeat(65)).unwrap_err().contains("64"));
        assert!(project("a/b#c").unwrap_err().contains("\"/\" \"#\""));
        assert!(project("_hidden").unwrap_err().contains("underscore"));
        assert!(project("trailing.").unwrap_err().contains("period"));
        assert!(project("tab\there").unwrap_err().contains("control"));
        assert!(project("defaultcollection").unwrap_err().contains("reserved"));
        assert!(project("App_Data").unwrap_err().contains("reserved"));
    }

    #[test]
    fn scope_fields() {
        assert!(scopes("", false).unwrap_err().contains("at least one"));
        assert!(scopes(".default", true).unwrap_err().contains("Entra"));
        assert!(scopes(".default", false).is_ok());
        assert!(scopes("vso.wrk", true).unwrap_err().contains("Did you mean"));
    }
}
