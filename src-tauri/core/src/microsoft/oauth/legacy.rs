//! Legacy Azure DevOps OAuth: the authorize URL (`response_type=Assertion`,
//! built with the `oauth2` crate) and the JWT-bearer token request, which
//! `oauth2` can't send (it always adds `grant_type=authorization_code`).

use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, CsrfToken, RedirectUrl, ResponseType, Scope};

use super::token::{parse_token_response, TokenSet};
use crate::error::Error;
use crate::microsoft::http::network_error;
use crate::model::ids::ClientId;
use crate::model::scopes::ScopeSet;
use crate::secret::{RefreshToken, Secret};

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The authorize URL and its fresh, random `state`.
pub fn authorize_url(vssps: &str, client_id: &ClientId, scopes: &ScopeSet, callback: &str) -> Result<(url::Url, CsrfToken), Error> {
    let auth = AuthUrl::new(format!("{vssps}/oauth2/authorize")).map_err(|e| Error::invalid("endpoint", e.to_string()))?;
    let redirect = RedirectUrl::new(callback.to_string()).map_err(|e| Error::invalid("callback", e.to_string()))?;
    let client = BasicClient::new(oauth2::ClientId::new(client_id.to_string())).set_auth_uri(auth).set_redirect_uri(redirect);
    Ok(client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes.iter().map(|s| Scope::new(s.to_string())))
        .set_response_type(&ResponseType::new("Assertion".to_string()))
        .url())
}

pub enum Grant<'a> {
    Code(&'a str),
    Refresh(&'a RefreshToken),
}

/// POST /oauth2/token with the Client Secret as `client_assertion` and the
/// code or refresh token as `assertion`. `redirect_uri` is required in both.
pub async fn token(
    http: &reqwest::Client,
    vssps: &str,
    client_secret: &Secret,
    callback: &str,
    grant: Grant<'_>,
) -> Result<TokenSet, Error> {
    let (grant_type, assertion) = match grant {
        Grant::Code(code) => (JWT_BEARER_GRANT, code),
        Grant::Refresh(r) => ("refresh_token", r.expose()),
    };
    let url = format!("{vssps}/oauth2/token");
    let form = [
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", client_secret.expose()),
        ("grant_type", grant_type),
        ("assertion", assertion),
        ("redirect_uri", callback),
    ];
    // reqwest sets Content-Type: application/x-www-form-urlencoded and the length.
    let resp = http.post(&url).form(&form).send().await.map_err(|e| network_error(&url, &e))?;
    let status = resp.status().as_u16();
    // The body holds the tokens in plain text: wiped once they are parsed into Secrets.
    let body = zeroize::Zeroizing::new(resp.text().await.map_err(|e| network_error(&url, &e))?);
    parse_token_response(status, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scopes::parse_scopes;

    #[test]
    fn authorize_url_has_assertion_scopes_state_and_callback() {
        let scopes = parse_scopes("vso.work_full vso.project").unwrap();
        let app = ClientId::parse("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f").unwrap();
        let (url, state) =
            authorize_url("https://app.vssps.visualstudio.com", &app, &scopes, "https://app-h.cyclr.com/connector/callback").unwrap();
        assert_eq!(url.path(), "/oauth2/authorize");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "Assertion");
        assert_eq!(q["scope"], "vso.project vso.work_full");
        assert_eq!(q["redirect_uri"], "https://app-h.cyclr.com/connector/callback");
        assert_eq!(q["state"], *state.secret());
        assert!(state.secret().len() >= 16);
        let (_, other) = authorize_url("https://x", &app, &scopes, "https://a.b/connector/callback").unwrap();
        assert_ne!(other.secret(), state.secret(), "state is random per attempt");
    }
}
