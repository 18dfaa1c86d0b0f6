//! Microsoft Entra ID v2.0 for Azure DevOps: a public client (or confidential,
//! when a secret is given) with auth code + PKCE S256, resource-prefixed
//! scopes plus `offline_access`, and AADSTS codes mapped to fixes. The `oauth2`
//! crate does the protocol; reqwest carries it through a small adapter.

use oauth2::basic::BasicTokenResponse;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientSecret, CsrfToken, HttpRequest, HttpResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, Scope, TokenResponse, TokenUrl,
};

use super::entra_error::EntraErrorResponse;
use super::token::{believable_lifetime, TokenSet};
use crate::error::Error;
use crate::model::ids::{ClientId, TenantId};
use crate::model::registration::AppRegistration;
use crate::model::scopes::{to_entra, ScopeSet};
use crate::secret::{AccessToken, RefreshToken, Secret};

/// What an Entra app registration is, as far as sign-in cares.
pub struct EntraApp<'a> {
    pub login: &'a str,
    pub tenant: &'a TenantId,
    pub client_id: &'a ClientId,
    pub secret: Option<&'a Secret>,
    pub scopes: &'a ScopeSet,
}

impl<'a> EntraApp<'a> {
    /// The Entra view of a registration (`organizations` when no tenant is set).
    pub fn new(app: &'a AppRegistration, login: &'a str, secret: Option<&'a Secret>) -> Self {
        Self {
            login,
            tenant: app.tenant.as_ref().unwrap_or(TenantId::organizations()),
            client_id: &app.client_id,
            secret,
            scopes: &app.scopes,
        }
    }
}

/// A basic client with the authorize and token endpoints set (oauth2's typestate).
type EntraClient = oauth2::Client<
    EntraErrorResponse,
    BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn client(app: &EntraApp<'_>, redirect: &str) -> Result<EntraClient, Error> {
    let base = format!("{}/{}/oauth2/v2.0", app.login, app.tenant);
    let bad = |e: oauth2::url::ParseError| Error::invalid("endpoint", e.to_string());
    let mut c = oauth2::Client::new(oauth2::ClientId::new(app.client_id.to_string()))
        .set_auth_uri(AuthUrl::new(format!("{base}/authorize")).map_err(bad)?)
        .set_token_uri(TokenUrl::new(format!("{base}/token")).map_err(bad)?)
        .set_redirect_uri(RedirectUrl::new(redirect.to_string()).map_err(bad)?)
        // Microsoft reads client credentials from the body.
        .set_auth_type(AuthType::RequestBody);
    if let Some(s) = app.secret {
        c = c.set_client_secret(ClientSecret::new(s.expose().to_string()));
    }
    Ok(c)
}

/// The `claims` request every Entra call sends: the `CP1` client capability, so Azure
/// DevOps answers a token revoked under Continuous Access Evaluation with a claims
/// challenge (as MSAL and Azure CLI declare it), merged with such a challenge when
/// re-authenticating after one (`challenge` is its base64 `claims` value).
pub fn claims_request(challenge: Option<&str>) -> String {
    use base64::Engine;
    let decoded = challenge
        .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c.trim()).ok())
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .filter(serde_json::Value::is_object);
    let mut claims = decoded.unwrap_or_else(|| serde_json::json!({}));
    if !claims["access_token"].is_object() {
        claims["access_token"] = serde_json::json!({});
    }
    claims["access_token"]["xms_cc"] = serde_json::json!({ "values": ["CP1"] });
    claims.to_string()
}

/// The authorize URL, its `state` and the PKCE verifier to keep until the callback.
/// `prompt=select_account` on every interactive sign-in, as Git Credential Manager and
/// Azure CLI send it, so the browser never silently reuses whichever account it has;
/// `login_hint` (re-authentication) preselects the account the installation had.
pub fn authorize_url(
    app: &EntraApp<'_>,
    redirect: &str,
    login_hint: Option<&str>,
    claims_challenge: Option<&str>,
) -> Result<(url::Url, CsrfToken, PkceCodeVerifier), Error> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(app, redirect)?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(to_entra(app.scopes).into_iter().map(Scope::new))
        .add_extra_param("response_mode", "query")
        .add_extra_param("prompt", "select_account")
        .add_extra_param("claims", claims_request(claims_challenge))
        .set_pkce_challenge(challenge);
    if let Some(hint) = login_hint.filter(|h| !h.is_empty()) {
        request = request.add_extra_param("login_hint", hint.to_string());
    }
    let (url, state) = request.url();
    Ok((url, state, verifier))
}

/// The admin-consent link for a tenant that lets only admins consent: an admin of the
/// app's tenant opens it, signs in and approves the app's Azure DevOps permissions for
/// everyone there (Entra's v2.0 `adminconsent` endpoint). Microsoft then redirects to the
/// registered `redirect` with `admin_consent=True`.
pub fn admin_consent_url(app: &EntraApp<'_>, redirect: &str) -> Result<url::Url, Error> {
    let endpoint = format!("{}/{}/v2.0/adminconsent", app.login, app.tenant);
    let mut url = url::Url::parse(&endpoint).map_err(|e| Error::invalid("endpoint", e.to_string()))?;
    let scopes: Vec<String> = to_entra(app.scopes).into_iter().filter(|s| s != "offline_access").collect();
    url.query_pairs_mut()
        .append_pair("client_id", app.client_id.as_str())
        .append_pair("scope", &scopes.join(" "))
        .append_pair("redirect_uri", redirect);
    Ok(url)
}

/// reqwest 0.13 behind oauth2's HTTP interface (its own reqwest feature is 0.12).
/// A named type with a boxed `Send` future, so the callers' futures stay `Send`.
struct Http(reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for Http {
    type Error = reqwest::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, req: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let resp = self.0.execute(reqwest::Request::try_from(req)?).await?;
            let mut out = http::Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                out = out.header(k, v);
            }
            Ok(out.body(resp.bytes().await?.to_vec()).expect("status and headers came from a valid response"))
        })
    }
}

fn tokens(r: BasicTokenResponse) -> TokenSet {
    TokenSet {
        access: AccessToken::new(r.access_token().secret().clone()),
        refresh: r.refresh_token().map(|t| RefreshToken::new(t.secret().clone())),
        expires_in: believable_lifetime(r.expires_in().map(|d| d.as_secs())),
        scope: r.scopes().map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")),
    }
}

type TokenError = RequestTokenError<reqwest::Error, EntraErrorResponse>;

fn map_error(e: TokenError, host: &str) -> Error {
    match e {
        RequestTokenError::ServerResponse(r) => r.explain(),
        RequestTokenError::Request(e) => crate::microsoft::http::network_error(host, &e),
        RequestTokenError::Parse(_, _) => Error::UnexpectedResponse { detail: "the token response could not be read".into() },
        RequestTokenError::Other(msg) => Error::UnexpectedResponse { detail: msg },
    }
}

pub async fn exchange_code(
    http: &reqwest::Client,
    app: &EntraApp<'_>,
    redirect: &str,
    code: &str,
    verifier: PkceCodeVerifier,
) -> Result<TokenSet, Error> {
    let c = client(app, redirect)?;
    let scope = to_entra(app.scopes).join(" ");
    let result = c
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .set_pkce_verifier(verifier)
        .add_extra_param("scope", scope)
        .add_extra_param("claims", claims_request(None))
        .request_async(&Http(http.clone()))
        .await;
    result.map(tokens).map_err(|e| map_error(e, app.login))
}

/// A refresh-token grant. `challenge` is a Continuous Access Evaluation claims challenge to
/// answer silently (Microsoft's CAE guide: a silent request with the claims first).
pub async fn refresh(
    http: &reqwest::Client,
    app: &EntraApp<'_>,
    redirect: &str,
    refresh: &RefreshToken,
    challenge: Option<&str>,
) -> Result<TokenSet, Error> {
    let c = client(app, redirect)?;
    let token = oauth2::RefreshToken::new(refresh.expose().to_string());
    let scope = to_entra(app.scopes).join(" ");
    let result = c
        .exchange_refresh_token(&token)
        .add_extra_param("scope", scope)
        .add_extra_param("claims", claims_request(challenge))
        .request_async(&Http(http.clone()))
        .await;
    result.map(tokens).map_err(|e| map_error(e, app.login))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scopes::parse_scopes;

    #[test]
    fn authorize_url_has_pkce_s256_state_and_prefixed_scopes() {
        let scopes = parse_scopes("vso.work_full").unwrap();
        let client_id = ClientId::parse("4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f").unwrap();
        let app = EntraApp {
            login: "https://login.microsoftonline.com",
            tenant: TenantId::organizations(),
            client_id: &client_id,
            secret: None,
            scopes: &scopes,
        };
        let (url, state, verifier) = authorize_url(&app, "http://localhost:5000/", Some("dana@contoso.com"), None).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/organizations/oauth2/v2.0/authorize");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["scope"], "499b84ac-1321-427f-aa17-267ca6975798/vso.work_full offline_access");
        assert_eq!(q["state"], *state.secret());
        assert_eq!(q["response_mode"], "query");
        assert_eq!(q["prompt"], "select_account", "never silently reuse the browser's account");
        assert_eq!(q["login_hint"], "dana@contoso.com");
        assert_eq!(q["claims"], r#"{"access_token":{"xms_cc":{"values":["CP1"]}}}"#, "the CP1 capability, always");
        assert!(verifier.secret().len() >= 43);
    }

    #[test]
    fn a_claims_challenge_is_asked_for_with_cp1() {
        use base64::Engine;
        let challenge =
            base64::engine::general_purpose::STANDARD.encode(r#"{"access_token":{"nbf":{"essential":true,"value":"1764547200"}}}"#);
        let v: serde_json::Value = serde_json::from_str(&claims_request(Some(&challenge))).unwrap();
        assert_eq!(v["access_token"]["nbf"]["value"], "1764547200");
        assert_eq!(v["access_token"]["xms_cc"]["values"][0], "CP1");
        assert_eq!(claims_request(Some("not base64!")), claims_request(None), "a garbled challenge still declares CP1");
    }
}
