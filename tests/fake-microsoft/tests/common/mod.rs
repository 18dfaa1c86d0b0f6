//! Helpers shared by the fake's tests: a client that never follows redirects,
//! and full sign-ins that return tokens.
#![allow(dead_code)] // each test file uses a different subset

use fake_microsoft::{FakeMicrosoft, World};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub fn client() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

pub async fn demo() -> FakeMicrosoft {
    FakeMicrosoft::start(World::demo()).await.unwrap()
}

pub struct LegacyDemo {
    pub app_id: String,
    pub client_secret: String,
    pub app_secret: String,
    pub callback: String,
    pub scopes: String,
}

pub fn legacy(fake: &FakeMicrosoft) -> LegacyDemo {
    fake.with(|w| {
        let a = &w.legacy_apps[0];
        LegacyDemo {
            app_id: a.app_id.clone(),
            client_secret: a.client_secret.clone(),
            app_secret: a.app_secret.clone(),
            callback: a.callback_url.clone(),
            scopes: a.scopes.join(" "),
        }
    })
}

pub fn location(r: &Response) -> Option<url::Url> {
    r.headers().get("location").map(|l| url::Url::parse(l.to_str().unwrap()).unwrap())
}

pub fn query(u: &url::Url, key: &str) -> Option<String> {
    u.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// The consent form's POST for the legacy flow.
pub async fn legacy_decide(fake: &FakeMicrosoft, decision: &str, scope: &str, state: &str) -> Response {
    let d = legacy(fake);
    let user = fake.with(|w| w.users[0].id.clone());
    client()
        .post(format!("{}/oauth2/authorize", fake.base_url()))
        .form(&[
            ("client_id", d.app_id.as_str()),
            ("redirect_uri", d.callback.as_str()),
            ("scope", scope),
            ("state", state),
            ("response_type", "Assertion"),
            ("user", user.as_str()),
            ("decision", decision),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn legacy_code(fake: &FakeMicrosoft) -> String {
    let d = legacy(fake);
    let r = legacy_decide(fake, "accept", &d.scopes, "s1").await;
    assert_eq!(r.status(), StatusCode::FOUND);
    query(&location(&r).unwrap(), "code").unwrap()
}

pub async fn legacy_token(fake: &FakeMicrosoft, grant_type: &str, assertion: &str, secret: &str) -> Response {
    let d = legacy(fake);
    client()
        .post(format!("{}/oauth2/token", fake.base_url()))
        .form(&[
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", secret),
            ("grant_type", grant_type),
            ("assertion", assertion),
            ("redirect_uri", d.callback.as_str()),
        ])
        .send()
        .await
        .unwrap()
}

/// A full legacy sign-in: (access token, refresh token).
pub async fn legacy_tokens(fake: &FakeMicrosoft) -> (String, String) {
    let code = legacy_code(fake).await;
    let secret = legacy(fake).client_secret;
    let body: Value = legacy_token(fake, JWT_BEARER, &code, &secret).await.json().await.unwrap();
    (body["access_token"].as_str().unwrap().into(), body["refresh_token"].as_str().unwrap().into())
}
