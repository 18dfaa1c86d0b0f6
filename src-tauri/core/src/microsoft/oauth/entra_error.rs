//! Microsoft Entra ID's error answers, explained: the token endpoint's JSON body
//! (with its numeric `error_codes`, which Microsoft says to key on rather than the
//! description) and a redirect's `error` + `error_description`. What each AADSTS
//! code means lives in one table, `error::aadsts`.

use serde::{Deserialize, Serialize};

use crate::error::aadsts::{self, Meaning};
use crate::error::Error;
use crate::model::scopes::ADO_RESOURCE;

/// Entra's token-endpoint error body, as oauth2 parses it for us.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntraErrorResponse {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u32>,
}

impl std::fmt::Display for EntraErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl oauth2::ErrorResponse for EntraErrorResponse {}

impl EntraErrorResponse {
    pub fn explain(&self) -> Error {
        explain(&self.error, self.error_description.as_deref().unwrap_or_default(), &self.error_codes)
    }
}

/// A redirect's or a token error's meaning, from its description's AADSTS number.
pub fn aadsts(error: &str, description: &str) -> Error {
    explain(error, description, &[])
}

/// Microsoft's error, in plain words with the fix. The number comes from `error_codes`
/// when the body has them, else from the description; unknown codes keep Microsoft's
/// description and code.
pub fn explain(error: &str, description: &str, codes: &[u32]) -> Error {
    let first_line = name_resources(description.lines().next().unwrap_or(description).trim());
    let number = codes.iter().copied().find(|n| aadsts::lookup(*n).is_some()).or_else(|| aadsts::number_in(description));
    if let Some(known) = number.and_then(aadsts::lookup) {
        return match known.meaning {
            Meaning::Fix | Meaning::ConditionalAccess => Error::Entra {
                code: Some(known.number),
                message: known.message.to_string(),
                hint: known.hint.to_string(),
                detail: first_line,
            },
            Meaning::SignInAgain => Error::NeedsReauth { description: first_line },
            Meaning::Declined => Error::SignInDeclined,
        };
    }
    match error {
        "invalid_grant" | "interaction_required" | "consent_required" => Error::NeedsReauth { description: first_line },
        "access_denied" => Error::SignInDeclined,
        "temporarily_unavailable" | "server_error" => Error::TokenServiceUnavailable { status: 503 },
        _ => Error::Entra {
            code: number,
            message: format!("Microsoft Entra ID refused: {error}."),
            hint: "See Microsoft's description below; search the code at https://login.microsoftonline.com/error.".into(),
            detail: first_line,
        },
    }
}

/// Microsoft names an API by its app id (AADSTS650057: "…application registration:
/// 499b84ac-…"); the portal's API permissions list shows its name. The id stays beside the
/// name; a scope written with the id as its prefix (`499b84ac-…/vso.work`) is left as it is.
fn name_resources(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(ADO_RESOURCE) {
        let after = &rest[at + ADO_RESOURCE.len()..];
        out.push_str(&rest[..at]);
        let named = !after.starts_with('/');
        out.push_str(if named { "Azure DevOps (" } else { "" });
        out.push_str(ADO_RESOURCE);
        out.push_str(if named { ")" } else { "" });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether an error is a Conditional Access block: a new sign-in can't fix it.
/// The app's own credentials (an expired or wrong client secret, a public or confidential
/// client mismatch): fixed in the app's entry, never by signing in again.
pub fn is_app_credential_problem(e: &Error) -> bool {
    matches!(e, Error::Entra { code: Some(7000222 | 7000215 | 7000218 | 700025), .. })
}

pub fn is_conditional_access(e: &Error) -> bool {
    matches!(e, Error::Entra { code: Some(n), .. } if aadsts::lookup(*n).is_some_and(|a| a.meaning == Meaning::ConditionalAccess))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without an AADSTS number, Microsoft's `error` decides: a declined consent is the user's
    /// choice, not a sign-in to repeat. The body shows as its `error` in logs and oauth2's errors.
    #[test]
    fn codes_without_a_number_follow_the_error_field() {
        assert!(matches!(explain("access_denied", "The user declined.", &[]), Error::SignInDeclined));
        assert!(matches!(explain("interaction_required", "", &[]), Error::NeedsReauth { .. }));
        let body = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#;
        assert_eq!(serde_json::from_str::<EntraErrorResponse>(body).unwrap().to_string(), "invalid_client");
    }

    #[test]
    fn a_resource_named_by_its_app_id_is_named_as_the_portal_does() {
        let said = "AADSTS650057: Invalid resource. The client has requested access to a resource which isn't listed in the requested permissions in the client's application registration: 499b84ac-1321-427f-aa17-267ca6975798.";
        let Error::Entra { code: Some(650057), detail, .. } = explain("invalid_client", said, &[]) else { panic!("not explained") };
        assert!(detail.ends_with("registration: Azure DevOps (499b84ac-1321-427f-aa17-267ca6975798)."), "{detail}");
        assert_eq!(
            name_resources("scope 499b84ac-1321-427f-aa17-267ca6975798/vso.work"),
            "scope 499b84ac-1321-427f-aa17-267ca6975798/vso.work"
        );
    }

    #[test]
    fn newer_aadsts_codes_map_to_fixes() {
        for (code, name, fix) in [
            (50194, "single_tenant_app", "Tenant ID"),
            (9002327, "redirect_registered_as_spa", "Mobile and desktop applications"),
            (500011, "devops_not_in_tenant", "dev.azure.com"),
            (90094, "admin_consent_required", "admin consent"),
        ] {
            let e = aadsts("invalid_request", &format!("AADSTS{code}: something.\r\nTrace ID: 1"));
            assert_eq!(e.code(), name);
            assert!(e.hint().contains(fix), "{code}: {}", e.hint());
        }
    }

    #[test]
    fn aadsts_codes_map_to_fixes() {
        let e = aadsts("invalid_request", "AADSTS50011: The redirect URI 'x' does not match.\r\nTrace ID: 1");
        assert!(matches!(&e, Error::Entra { code: Some(50011), .. }));
        assert!(e.hint().contains("Mobile and desktop applications"));
        assert!(matches!(aadsts("invalid_client", "AADSTS700025: Client is public"), Error::Entra { code: Some(700025), .. }));
        assert!(matches!(aadsts("invalid_client", "AADSTS7000218: must contain client_secret"), Error::Entra { code: Some(7000218), .. }));
        assert!(matches!(aadsts("invalid_grant", "AADSTS700082: expired due to inactivity"), Error::NeedsReauth { .. }));
        let other = aadsts("invalid_request", "AADSTS90002: Tenant not found.\r\nTrace ID: x");
        assert!(other.to_string().contains("AADSTS90002: Tenant not found."), "{other}");
        assert!(!other.to_string().contains("Trace ID"));
    }

    #[test]
    fn conditional_access_is_read_from_error_codes_not_the_wording() {
        let body = r#"{"error":"interaction_required","error_description":"Something reworded.","error_codes":[53003]}"#;
        let e = serde_json::from_str::<EntraErrorResponse>(body).unwrap().explain();
        assert_eq!(e.code(), "conditional_access_blocked");
        assert!(e.to_string().contains("Conditional Access"), "{e}");
        assert!(e.hint().contains("won't help"), "{}", e.hint());
        assert!(is_conditional_access(&e));
        // Without the array, the description's number still counts; signing in again is not the advice.
        let redirect = aadsts("access_denied", "AADSTS53000: Device is not in required device state: compliant.");
        assert!(redirect.to_string().contains("not marked compliant"), "{redirect}");
    }
}
