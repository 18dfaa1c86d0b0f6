//! Microsoft Entra ID v2.0 for Azure DevOps: a public client (or confidential,
//! when a secret is given) with auth code + PKCE S256, resource-prefixed
//! scopes plus `offline_access`, and AADSTS codes mapped to fixes. The `oauth2`
//! crate does the protocol; reqwest carries it through a small adapter.

use oauth2::basic::{BasicClient, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardErrorResponse, TokenResponse, TokenUrl,
};

use super::token::{believable_lifetime, TokenSet};
use crate::error::Error;
use crate::model::registration::AppRegistration;
use crate::model::scopes::{to_entra, ScopeSet};
use crate::secret::Secret;

/// What an Entra app registration is, as far as sign-in cares.
pub struct EntraApp<'a> {
    pub login: &'a str,
    pub tenant: &'a str,
    pub client_id: &'a str,
    pub secret: Option<&'a Secret>,
    pub scopes: &'a ScopeSet,
}

impl<'a> EntraApp<'a> {
    /// The Entra view of a registration (`organizations` when no tenant is set).
    pub fn new(app: &'a AppRegistration, login: &'a str, secret: Option<&'a Secret>) -> Self {
        Self { login, tenant: app.tenant.as_deref().unwrap_or("organizations"), client_id: &app.client_id, secret, scopes: &app.scopes }
    }
}

/// A basic client with the authorize and token endpoints set (oauth2's typestate).
type EntraClient = oauth2::Client<
    StandardErrorResponse<BasicErrorResponseType>,
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
    let mut c = BasicClient::new(ClientId::new(app.client_id.to_string()))
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

/// The authorize URL, its `state` and the PKCE verifier to keep until the callback.
/// `prompt=select_account` on every interactive sign-in, as Git Credential Manager and
/// Azure CLI send it, so the browser never silently reuses whichever account it has;
/// `login_hint` (re-authentication) preselects the account the installation had.
pub fn authorize_url(
    app: &EntraApp<'_>,
    redirect: &str,
    login_hint: Option<&str>,
) -> Result<(url::Url, CsrfToken, PkceCodeVerifier), Error> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(app, redirect)?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(to_entra(app.scopes).into_iter().map(Scope::new))
        .add_extra_param("response_mode", "query")
        .add_extra_param("prompt", "select_account")
        .set_pkce_challenge(challenge);
    if let Some(hint) = login_hint.filter(|h| !h.is_empty()) {
        request = request.add_extra_param("login_hint", hint.to_string());
    }
    let (url, state) = request.url();
    Ok((url, state, verifier))
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
        access: Secret::new(r.access_token().secret().clone()),
        refresh: r.refresh_token().map(|t| Secret::new(t.secret().clone())),
        expires_in: believable_lifetime(r.expires_in().map(|d| d.as_secs())),
        scope: r.scopes().map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")),
    }
}

type TokenError = RequestTokenError<reqwest::Error, StandardErrorResponse<BasicErrorResponseType>>;

fn map_error(e: TokenError, host: &str) -> Error {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let description = r.error_description().cloned().unwrap_or_default();
            aadsts(r.error().as_ref(), &description)
        }
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
        .request_async(&Http(http.clone()))
        .await;
    result.map(tokens).map_err(|e| map_error(e, app.login))
}

pub async fn refresh(http: &reqwest::Client, app: &EntraApp<'_>, redirect: &str, refresh: &Secret) -> Result<TokenSet, Error> {
    let c = client(app, redirect)?;
    let token = RefreshToken::new(refresh.expose().to_string());
    let scope = to_entra(app.scopes).join(" ");
    let result = c.exchange_refresh_token(&token).add_extra_param("scope", scope).request_async(&Http(http.clone())).await;
    result.map(tokens).map_err(|e| map_error(e, app.login))
}

/// The AADSTS number at the start of a description ("AADSTS70011: …").
pub fn aadsts_code(description: &str) -> Option<u32> {
    let rest = description.trim_start().strip_prefix("AADSTS")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Microsoft's error, in plain words with the fix. Branches on the code,
/// never on the wording. Unknown codes keep Microsoft's description and code.
pub fn aadsts(error: &str, description: &str) -> Error {
    let first_line = description.lines().next().unwrap_or(description).trim().to_string();
    let explain = |message: &str, hint: &str| Error::Entra {
        code: aadsts_code(description),
        message: message.to_string(),
        hint: hint.to_string(),
        detail: first_line.clone(),
    };
    match aadsts_code(description) {
        Some(50011) => explain("The redirect URI doesn't match the app registration (AADSTS50011).", "In the app registration, add http://localhost under \"Mobile and desktop applications\" (Authentication → Add a platform)."),
        Some(65001) => explain("Nobody has consented to this app's permissions yet (AADSTS65001).", "Sign in again and accept the consent prompt, or ask a tenant admin to grant admin consent for the app."),
        Some(70011) => explain("Microsoft Entra ID refused the scopes (AADSTS70011).", "Each scope must carry the Azure DevOps resource prefix 499b84ac-1321-427f-aa17-267ca6975798/ (Connector Console adds it), and .default can't be combined with other scopes."),
        Some(650057) => explain("The app registration doesn't list these Azure DevOps permissions (AADSTS650057).", "In the app registration, add them under API permissions → Azure DevOps → Delegated permissions, or choose only scopes that are configured there."),
        Some(700016) => explain("The app was not found in this tenant (AADSTS700016).", "Check the Client ID (Application ID) and the Tenant ID; for an app from another tenant, use \"organizations\" or that tenant's ID."),
        Some(700025) => explain("This app is a public client, so it must not send a Client Secret (AADSTS700025).", "Leave the Client Secret blank, or register the app as a confidential (Web) client."),
        Some(7000218) => explain("This app is registered as a confidential client and needs a Client Secret (AADSTS7000218).", "Enter the app's client secret, or add http://localhost under \"Mobile and desktop applications\" to make it a public client."),
        Some(7000215) => explain("The Client Secret is wrong (AADSTS7000215).", "Copy the secret's Value (not its Secret ID) from Certificates & secrets, or create a new one."),
        Some(7000222) => explain("The app's client secret has expired (AADSTS7000222).", "Create a new client secret in the app registration (Certificates & secrets) and enter it here."),
        Some(50194) => explain("The app is single-tenant, so it can't sign in through a shared endpoint (AADSTS50194).", "Enter the app's own Directory (tenant) ID as the Tenant ID instead of \"organizations\", or make the app multi-tenant (Authentication → Supported account types)."),
        Some(9002327) => explain("The redirect URI is registered as a single-page application (AADSTS9002327).", "In the app registration, remove http://localhost from \"Single-page application\" and add it under \"Mobile and desktop applications\"."),
        Some(500011) => explain("Azure DevOps is not set up in your tenant (AADSTS500011: no service principal for it).", "Sign in to https://dev.azure.com once with an account of this tenant (or connect the organization to the tenant), then try again."),
        Some(90094) => explain("A tenant admin must consent to this app first (AADSTS90094).", "Ask an admin of your tenant to grant admin consent for the app (Enterprise applications → the app → Permissions), then sign in again."),
        Some(50076) | Some(50079) => explain("Your organization requires multi-factor authentication or a Conditional Access step.", "Sign in again and complete the extra verification. The system browser is the most reliable place for it."),
        Some(70008) | Some(700082) | Some(50173) => Error::NeedsReauth { description: first_line.clone() },
        Some(65004) => Error::SignInDeclined,
        _ => match error {
            "invalid_grant" | "interaction_required" | "consent_required" => Error::NeedsReauth { description: first_line.clone() },
            "access_denied" => Error::SignInDeclined,
            "temporarily_unavailable" | "server_error" => Error::TokenServiceUnavailable { status: 503 },
            _ => Error::Entra { code: aadsts_code(description), message: format!("Microsoft Entra ID refused: {error}."), hint: "See Microsoft's description below; search the code at https://login.microsoftonline.com/error.".into(), detail: first_line.clone() },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scopes::parse_scopes;

    #[test]
    fn authorize_url_has_pkce_s256_state_and_prefixed_scopes() {
        let scopes = parse_scopes("vso.work_full").unwrap();
        let app =
            EntraApp { login: "https://login.microsoftonline.com", tenant: "organizations", client_id: "c", secret: None, scopes: &scopes };
        let (url, state, verifier) = authorize_url(&app, "http://localhost:5000/", Some("dana@contoso.com")).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/organizations/oauth2/v2.0/authorize");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["scope"], "499b84ac-1321-427f-aa17-267ca6975798/vso.work_full offline_access");
        assert_eq!(q["state"], *state.secret());
        assert_eq!(q["response_mode"], "query");
        assert_eq!(q["prompt"], "select_account", "never silently reuse the browser's account");
        assert_eq!(q["login_hint"], "dana@contoso.com");
        assert!(verifier.secret().len() >= 43);
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
}
