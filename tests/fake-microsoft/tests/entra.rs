//! Microsoft Entra ID v2.0: PKCE, prefixed scopes, client types, loopback redirects.

mod common;

use base64::Engine;
use common::*;
use fake_microsoft::{redirect_matches, FakeMicrosoft, ADO_RESOURCE};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

const VERIFIER: &str = "a-verifier-that-is-long-enough-for-pkce-0123456789abcdef";

fn challenge(v: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()))
}

fn app(fake: &FakeMicrosoft) -> (String, String) {
    fake.with(|w| (w.entra_apps[0].client_id.clone(), w.entra_apps[0].tenant_id.clone()))
}

fn work_full() -> String {
    format!("{ADO_RESOURCE}/vso.work_full offline_access")
}

async fn authorize(fake: &FakeMicrosoft, tenant: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let (client_id, _) = app(fake);
    let challenge = challenge(VERIFIER);
    let mut q: Vec<(&str, &str)> = vec![
        ("client_id", &client_id),
        ("response_type", "code"),
        ("redirect_uri", "http://127.0.0.1:53123/"),
        ("state", "st"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    let scope = work_full();
    if !extra.iter().any(|(k, _)| *k == "scope") {
        q.push(("scope", &scope));
    }
    q.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    q.extend_from_slice(extra);
    client().get(format!("{}/login/{tenant}/oauth2/v2.0/authorize", fake.base_url())).query(&q).send().await.unwrap()
}

/// Accept on the consent page; returns the code.
async fn accept(fake: &FakeMicrosoft, redirect: &str, scope: &str) -> String {
    let (client_id, _) = app(fake);
    let user = fake.with(|w| w.users[0].id.clone());
    let r = client()
        .post(format!("{}/login/organizations/oauth2/v2.0/authorize", fake.base_url()))
        .form(&[
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("scope", scope),
            ("state", "st"),
            ("code_challenge", &challenge(VERIFIER)),
            ("code_challenge_method", "S256"),
            ("user", &user),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = location(&r).unwrap();
    assert!(to.as_str().starts_with(redirect), "{to}");
    query(&to, "code").unwrap()
}

async fn token(fake: &FakeMicrosoft, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let r = client().post(format!("{}/login/organizations/oauth2/v2.0/token", fake.base_url())).form(form).send().await.unwrap();
    (r.status(), r.json().await.unwrap())
}

async fn redeem(fake: &FakeMicrosoft, code: &str, verifier: &str) -> (StatusCode, Value) {
    let (client_id, _) = app(fake);
    token(
        fake,
        &[
            ("client_id", &client_id),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", "http://127.0.0.1:53123/"),
            ("code_verifier", verifier),
            ("scope", &work_full()),
        ],
    )
    .await
}

#[tokio::test]
async fn code_with_pkce_gives_bearer_tokens_with_integer_expiry() {
    let fake = demo().await;
    assert_eq!(authorize(&fake, "organizations", &[]).await.status(), StatusCode::OK);
    let code = accept(&fake, "http://127.0.0.1:53123/", &work_full()).await;
    let (status, body) = redeem(&fake, &code, VERIFIER).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].is_u64());
    assert!(body["refresh_token"].is_string());
    assert!(body["scope"].as_str().unwrap().contains(&format!("{ADO_RESOURCE}/vso.work_full")));
}

/// Microsoft's access tokens are JWTs (access-token-claims-reference): the payload names the
/// resource, the issuing tenant, the user and the scopes; the fake still knows the token.
#[tokio::test]
async fn an_access_token_is_a_jwt_naming_the_resource_tenant_user_and_scopes() {
    let fake = demo().await;
    let code = accept(&fake, "http://127.0.0.1:53123/", &work_full()).await;
    let (_, body) = redeem(&fake, &code, VERIFIER).await;
    let token = body["access_token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "header.payload.signature: {token}");
    let decode = |p: &str| -> Value {
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).expect("base64url without padding")).unwrap()
    };
    assert_eq!(decode(parts[0])["typ"], "JWT");
    let claims = decode(parts[1]);
    let (user, home) = fake.with(|w| (w.users[0].clone(), w.users[0].tenant_id.clone()));
    assert_eq!(claims["aud"], ADO_RESOURCE);
    assert_eq!(claims["tid"], home.as_str(), "organizations: the user's home tenant issued it");
    assert_eq!((claims["oid"].as_str(), claims["upn"].as_str()), (Some(user.id.as_str()), Some(user.email.as_str())));
    assert_eq!(claims["scp"], "vso.work_full");
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());
    let me =
        client().get(format!("{}/_apis/profile/profiles/me?api-version=7.1", fake.base_url())).bearer_auth(token).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK, "the token is accepted");
}

#[tokio::test]
async fn a_wrong_verifier_is_rejected() {
    let fake = demo().await;
    let code = accept(&fake, "http://127.0.0.1:53123/", &work_full()).await;
    let (status, body) = redeem(&fake, &code, "not-the-verifier").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 501481);
}

#[tokio::test]
async fn pkce_s256_is_required() {
    let fake = demo().await;
    for extra in [vec![("code_challenge", "")], vec![("code_challenge_method", "plain")]] {
        let r = authorize(&fake, "organizations", &extra).await;
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(query(&location(&r).unwrap(), "error").as_deref(), Some("invalid_request"));
    }
}

#[tokio::test]
async fn a_bare_vso_scope_is_invalid_scope_70011() {
    let fake = demo().await;
    let r = authorize(&fake, "organizations", &[("scope", "vso.work_full offline_access")]).await;
    let to = location(&r).unwrap();
    assert_eq!(query(&to, "error").as_deref(), Some("invalid_scope"));
    let d = query(&to, "error_description").unwrap();
    assert!(d.starts_with("AADSTS70011:") && d.contains("'vso.work_full' does not exist"), "{d}");
    assert_eq!(query(&to, "state").as_deref(), Some("st"));
}

#[tokio::test]
async fn default_cannot_be_mixed_and_a_scope_the_registration_lacks_is_consented_dynamically() {
    let fake = demo().await;
    let mixed = format!("{ADO_RESOURCE}/.default {ADO_RESOURCE}/vso.work");
    let r = authorize(&fake, "organizations", &[("scope", &mixed)]).await;
    assert_eq!(query(&location(&r).unwrap(), "error").as_deref(), Some("invalid_scope"));
    // vso.code is not among the app's configured permissions: the consent page asks for it.
    let code = format!("{ADO_RESOURCE}/vso.code");
    assert_eq!(authorize(&fake, "organizations", &[("scope", &code)]).await.status(), StatusCode::OK);
    let default = format!("{ADO_RESOURCE}/.default");
    assert_eq!(authorize(&fake, "organizations", &[("scope", &default)]).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_registration_without_azure_devops_permissions_is_refused_650057() {
    let fake = demo().await;
    fake.with(|w| w.entra_apps[0].permissions.clear());
    let work = format!("{ADO_RESOURCE}/vso.work");
    let r = authorize(&fake, "organizations", &[("scope", &work)]).await;
    let d = query(&location(&r).unwrap(), "error_description").unwrap();
    assert!(d.starts_with("AADSTS650057") && d.contains(ADO_RESOURCE), "{d}");
}

#[tokio::test]
async fn public_client_with_secret_and_confidential_without_are_told_apart() {
    let fake = demo().await;
    let (client_id, _) = app(&fake);
    let (status, body) =
        token(&fake, &[("client_id", &client_id), ("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_secret", "s3cret")])
            .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_codes"][0], 700025);
    fake.with(|w| w.entra_apps[0].client_secret = Some("s3cret".into()));
    let (status, body) = token(&fake, &[("client_id", &client_id), ("grant_type", "refresh_token"), ("refresh_token", "x")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error_codes"][0], 7000218);
    assert!(body["error_description"].as_str().unwrap().starts_with("AADSTS7000218:"));
}

#[tokio::test]
async fn loopback_matches_any_port_and_everything_else_matches_exactly() {
    assert!(redirect_matches("http://localhost", "http://localhost:5000/"));
    assert!(redirect_matches("http://127.0.0.1/cb", "http://127.0.0.1:1234/cb"));
    assert!(!redirect_matches("http://127.0.0.1/cb", "http://127.0.0.1:1234/other"));
    assert!(!redirect_matches("https://app.example/cb", "https://app.example:444/cb"));
    assert!(!redirect_matches("http://localhost", "http://127.0.0.1:5000/"));
    let fake = demo().await;
    let r = authorize(&fake, "organizations", &[("redirect_uri", "http://localhost:61000/")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bad = authorize(&fake, "organizations", &[("redirect_uri", "https://evil.example/")]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(location(&bad).is_none());
    assert!(bad.text().await.unwrap().contains("AADSTS50011"));
}

#[tokio::test]
async fn unknown_app_or_wrong_tenant_is_700016() {
    let fake = demo().await;
    let r = authorize(&fake, "00000000-0000-0000-0000-000000000001", &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("AADSTS700016"));
    let (_, tenant) = app(&fake);
    assert_eq!(authorize(&fake, &tenant, &[]).await.status(), StatusCode::OK);
    assert_eq!(authorize(&fake, "contoso.com", &[]).await.status(), StatusCode::OK, "a verified domain names the tenant");
}

#[tokio::test]
async fn refresh_rotates_and_needs_offline_access() {
    let fake = demo().await;
    let (client_id, _) = app(&fake);
    let code = accept(&fake, "http://127.0.0.1:53123/", &work_full()).await;
    let (_, body) = redeem(&fake, &code, VERIFIER).await;
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    let (status, next) =
        token(&fake, &[("client_id", &client_id), ("grant_type", "refresh_token"), ("refresh_token", &refresh), ("scope", &work_full())])
            .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(next["refresh_token"], body["refresh_token"]);
    let (status, old) = token(&fake, &[("client_id", &client_id), ("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(old["error"], "invalid_grant");

    let no_offline = format!("{ADO_RESOURCE}/vso.work_full");
    let code = accept(&fake, "http://127.0.0.1:53123/", &no_offline).await;
    let (_, body) = redeem(&fake, &code, VERIFIER).await;
    assert!(body.get("refresh_token").is_none(), "no offline_access, no refresh token: {body}");
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let fake = demo().await;
    let (client_id, _) = app(&fake);
    let r = client()
        .post(format!("{}/login/organizations/oauth2/v2.0/authorize", fake.base_url()))
        .form(&[
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:5/"),
            ("scope", &work_full()),
            ("state", "st"),
            ("code_challenge", "abc"),
            ("code_challenge_method", "S256"),
            ("decision", "deny"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(query(&location(&r).unwrap(), "error").as_deref(), Some("access_denied"));
}

#[tokio::test]
async fn org_head_reveals_the_tenant() {
    let fake = demo().await;
    let r = client().head(format!("{}/contoso", fake.base_url())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let tenant = fake.with(|w| w.organizations[0].tenant_id.clone());
    assert_eq!(r.headers()["x-vss-resourcetenant"].to_str().unwrap(), tenant);
    let missing = client().head(format!("{}/no-such-org", fake.base_url())).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// A token issued by another tenant than the organization's (a B2B guest signed in at home)
/// is refused with the generic TF400813 naming the user, in Azure DevOps' error envelope
/// (microsoft/azure-devops-mcp docs/TROUBLESHOOTING.md, issues #369 and #413).
#[tokio::test]
async fn a_token_from_another_tenant_than_the_orgs_is_tf400813_naming_the_user() {
    let fake = demo().await;
    let user = fake.with(|w| {
        w.add_customer_in_another_tenant();
        w.users[0].organizations.push("fabrikam".into());
        w.users[0].id.clone()
    });
    let code = accept(&fake, "http://127.0.0.1:53123/", &work_full()).await;
    let (_, body) = redeem(&fake, &code, VERIFIER).await;
    let token = body["access_token"].as_str().unwrap();
    let get = |path: &str| client().get(format!("{}{path}?api-version=7.1", fake.base_url())).bearer_auth(token).send();
    assert_eq!(get("/contoso/_apis/projects/Website").await.unwrap().status(), StatusCode::OK, "the user's home tenant's org");
    let r = get("/fabrikam/_apis/projects/Portal").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["message"], format!("TF400813: The user '{user}' is not authorized to access this resource."));
    assert_eq!((body["typeKey"].as_str(), body["$id"].as_str()), (Some("UnauthorizedRequestException"), Some("1")), "{body}");
    // Microsoft answers some such tokens with VS30063; a scenario may ask for it.
    fake.with(|w| w.cross_tenant_vs30063 = true);
    let body: Value = get("/fabrikam/_apis/projects/Portal").await.unwrap().json().await.unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("VS30063"), "{body}");
}
