//! Tokens as Microsoft sends them, parsed leniently (`expires_in` may be a
//! string; error bodies may be PascalCase), and as the keychain keeps them.

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::Error;
use crate::secret::{AccessToken, RefreshToken, Secret};

/// What a token request yields.
#[derive(Debug, Clone)]
pub struct TokenSet {
    pub access: AccessToken,
    pub refresh: Option<RefreshToken>,
    /// Seconds until the access token expires, as sent.
    pub expires_in: u64,
    /// The `scope` field, when present (legacy: the registration's scopes).
    pub scope: Option<String>,
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        N(u64),
        S(String),
    }
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        Some(NumOrStr::N(n)) => Some(n),
        Some(NumOrStr::S(s)) => s.trim().parse().ok(),
        None => None,
    })
}

#[derive(Deserialize)]
struct RawToken {
    access_token: AccessToken,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    #[serde(default, deserialize_with = "lenient_u64")]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

/// Microsoft's error bodies: legacy `{"Error","ErrorDescription"}`, Entra `{"error","error_description"}`.
#[derive(Deserialize, Debug)]
pub struct ErrorBody {
    #[serde(alias = "Error")]
    pub error: String,
    #[serde(default, alias = "ErrorDescription")]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u64>,
}

/// When Microsoft sends no lifetime, assume the documented hour.
const DEFAULT_EXPIRES_IN: u64 = 3600;
/// A lifetime outside this range is not believed: it is the server's number,
/// and `now + expires_in` must neither overflow nor mean "never refresh".
const EXPIRES_IN_RANGE: std::ops::RangeInclusive<u64> = 1..=86_400;

/// The server's `expires_in`, clamped (absent: the documented hour).
pub fn believable_lifetime(expires_in: Option<u64>) -> u64 {
    expires_in.unwrap_or(DEFAULT_EXPIRES_IN).clamp(*EXPIRES_IN_RANGE.start(), *EXPIRES_IN_RANGE.end())
}

pub fn parse_token_response(status: u16, body: &str) -> Result<TokenSet, Error> {
    if (200..300).contains(&status) {
        return match serde_json::from_str::<RawToken>(body) {
            Ok(raw) if !raw.access_token.is_empty() => Ok(TokenSet {
                access: raw.access_token,
                refresh: raw.refresh_token.filter(|r| !r.is_empty()),
                expires_in: believable_lifetime(raw.expires_in),
                scope: raw.scope,
            }),
            // Never echo the body: it may hold a token.
            _ => Err(Error::UnexpectedResponse { detail: format!("HTTP {status} with a body that is not a token response") }),
        };
    }
    if status >= 500 {
        return Err(Error::TokenServiceUnavailable { status });
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(e) => Err(classify(e)),
        Err(_) => Err(Error::UnexpectedResponse { detail: format!("HTTP {status} without an OAuth error body") }),
    }
}

/// Branch on `error`, never on the description text (Microsoft's advice).
pub fn classify(e: ErrorBody) -> Error {
    let description = e.error_description.unwrap_or_default();
    match e.error.as_str() {
        "invalid_client" | "unauthorized_client" => Error::InvalidClient { description },
        "invalid_grant" | "interaction_required" | "consent_required" => Error::NeedsReauth { description },
        "temporarily_unavailable" | "server_error" => Error::TokenServiceUnavailable { status: 503 },
        other => Error::SignInRefused { error: other.to_string(), description: Some(description).filter(|d| !d.is_empty()) },
    }
}

/// How the keychain keeps an installation's tokens: one small JSON value
/// (Windows caps a credential at 2,560 bytes, so no redundant fields).
/// Both are [`Secret`]s: redacted when printed, overwritten when dropped.
#[derive(Deserialize, Clone)]
pub struct StoredTokens {
    #[serde(rename = "a")]
    pub access: AccessToken,
    #[serde(rename = "r", default)]
    pub refresh: Option<RefreshToken>,
}

impl StoredTokens {
    pub fn to_secret(&self) -> Secret {
        // Borrowed views: the only plain copy is the JSON, which becomes a Secret at once.
        #[derive(Serialize)]
        struct Wire<'a> {
            a: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            r: Option<&'a str>,
        }
        let wire = Wire { a: self.access.expose(), r: self.refresh.as_ref().map(RefreshToken::expose) };
        Secret::new(serde_json::to_string(&wire).expect("plain strings serialize"))
    }

    pub fn from_secret(s: &Secret) -> Option<Self> {
        serde_json::from_str(s.expose()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_as_string_or_number() {
        let s = parse_token_response(
            200,
            r#"{"access_token":"a","token_type":"jwt-bearer","expires_in":"3599","refresh_token":"r","scope":"vso.work"}"#,
        )
        .unwrap();
        assert_eq!(s.expires_in, 3599);
        assert_eq!(s.scope.as_deref(), Some("vso.work"));
        let n = parse_token_response(200, r#"{"access_token":"a","expires_in":3599}"#).unwrap();
        assert_eq!(n.expires_in, 3599);
        assert!(n.refresh.is_none());
        let missing = parse_token_response(200, r#"{"access_token":"a","expires_in":"soon"}"#).unwrap();
        assert_eq!(missing.expires_in, 3600);
    }

    #[test]
    fn pascal_case_and_standard_error_bodies() {
        let legacy =
            parse_token_response(400, r#"{"Error":"invalid_client","ErrorDescription":"Failed to deserialize the JsonWebToken object."}"#);
        assert!(matches!(legacy, Err(Error::InvalidClient { description }) if description.contains("JsonWebToken")));
        let entra =
            parse_token_response(400, r#"{"error":"invalid_grant","error_description":"AADSTS70008: expired","error_codes":[70008]}"#);
        assert!(matches!(entra, Err(Error::NeedsReauth { .. })));
        // An error the app has no branch for keeps Microsoft's words, and only when there are some.
        let other = parse_token_response(400, r#"{"error":"invalid_scope","error_description":"AADSTS70011: bad scope"}"#);
        assert!(
            matches!(other, Err(Error::SignInRefused { error, description: Some(d) }) if error == "invalid_scope" && d.contains("70011"))
        );
        let bare = parse_token_response(400, r#"{"error":"invalid_scope"}"#);
        assert!(matches!(bare, Err(Error::SignInRefused { description: None, .. })));
    }

    #[test]
    fn garbage_and_server_errors_are_transient_kinds() {
        assert!(matches!(parse_token_response(200, "<html>busy</html>"), Err(Error::UnexpectedResponse { .. })));
        assert!(matches!(parse_token_response(500, "{}"), Err(Error::TokenServiceUnavailable { status: 500 })));
        assert!(matches!(parse_token_response(400, "Bad Request"), Err(Error::UnexpectedResponse { .. })));
        // A 200 with an empty access token is not a token: storing it would mean "signed in"
        // with nothing to send.
        let empty = r#"{"access_token":"","refresh_token":"r","expires_in":3600}"#;
        assert!(matches!(parse_token_response(200, empty), Err(Error::UnexpectedResponse { .. })));
    }

    #[test]
    fn an_unexpected_body_is_never_echoed() {
        let err = parse_token_response(200, r#"{"acces_token":"leaky-token"}"#).unwrap_err();
        assert!(!err.to_string().contains("leaky-token"));
    }

    #[test]
    fn stored_tokens_are_compact() {
        let s = StoredTokens { access: AccessToken::new("a"), refresh: Some(RefreshToken::new("r")) }.to_secret();
        assert_eq!(s.expose(), r#"{"a":"a","r":"r"}"#);
        assert_eq!(StoredTokens::from_secret(&s).unwrap().refresh.as_ref().map(RefreshToken::expose), Some("r"));
    }
}
