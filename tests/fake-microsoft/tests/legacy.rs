//! Legacy Azure DevOps OAuth: each rule of the authorize and token endpoints.

mod common;

use std::time::Duration;

use common::*;
use fake_microsoft::Fault;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn authorize(fake: &fake_microsoft::FakeMicrosoft, params: &[(&str, &str)]) -> reqwest::Response {
    client().get(format!("{}/oauth2/authorize", fake.base_url())).query(params).send().await.unwrap()
}

#[tokio::test]
async fn consent_page_names_the_app_and_scopes_by_ui_name() {
    let fake = demo().await;
    let d = legacy(&fake);
    let r = authorize(
        &fake,
        &[
            ("client_id", &d.app_id),
            ("response_type", "Assertion"),
            ("state", "s"),
            ("scope", "vso.project vso.work_full"),
            ("redirect_uri", &d.callback),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Contoso Connector"));
    assert!(html.contains("Work items (full)") && html.contains("Project and team (read)"));
    assert!(html.contains("id=\"accept\"") && html.contains("id=\"deny\"") && html.contains("<label for=\"user\""));
}

#[tokio::test]
async fn unknown_client_or_wrong_callback_gets_a_400_page_and_no_redirect() {
    let fake = demo().await;
    let d = legacy(&fake);
    let unknown = authorize(
        &fake,
        &[
            ("client_id", "00000000-0000-0000-0000-000000000000"),
            ("response_type", "Assertion"),
            ("scope", &d.scopes),
            ("redirect_uri", &d.callback),
        ],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(location(&unknown).is_none());
    let http = d.callback.replacen("https://", "http://", 1);
    for wrong in [http.as_str(), "https://app-h.cyclr.com/connector/callback/", "https://evil.example/connector/callback"] {
        let r =
            authorize(&fake, &[("client_id", &d.app_id), ("response_type", "Assertion"), ("scope", &d.scopes), ("redirect_uri", wrong)])
                .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{wrong}");
        assert!(location(&r).is_none(), "{wrong} must not be redirected to");
    }
}

#[tokio::test]
async fn response_type_must_be_assertion() {
    let fake = demo().await;
    let d = legacy(&fake);
    let r =
        authorize(&fake, &[("client_id", &d.app_id), ("response_type", "code"), ("scope", &d.scopes), ("redirect_uri", &d.callback)]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn scopes_must_equal_the_registration_in_any_order() {
    let fake = demo().await;
    let d = legacy(&fake);
    for (scope, ok) in [
        ("vso.project vso.work_full", true),
        ("vso.work_full", false),
        ("vso.work_full vso.project vso.code", false),
        ("vso.work vso.project", false),
    ] {
        let r = authorize(
            &fake,
            &[("client_id", &d.app_id), ("response_type", "Assertion"), ("state", "xyz"), ("scope", scope), ("redirect_uri", &d.callback)],
        )
        .await;
        if ok {
            assert_eq!(r.status(), StatusCode::OK, "{scope}");
        } else {
            assert_eq!(r.status(), StatusCode::FOUND, "{scope}");
            let to = location(&r).unwrap();
            assert!(to.as_str().starts_with(&d.callback));
            assert_eq!(query(&to, "error").as_deref(), Some("InvalidScope"));
            assert_eq!(query(&to, "state"), None, "the observed redirect carries no state");
            assert_eq!(query(&to, "error_description"), None, "Microsoft sends no description");
        }
    }
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let fake = demo().await;
    let d = legacy(&fake);
    let r = legacy_decide(&fake, "deny", &d.scopes, "st").await;
    let to = location(&r).unwrap();
    assert_eq!(query(&to, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&to, "state").as_deref(), Some("st"));
    assert_eq!(query(&to, "code"), None);
}

#[tokio::test]
async fn accept_issues_a_single_use_code() {
    let fake = demo().await;
    let d = legacy(&fake);
    let code = legacy_code(&fake).await;
    let first = legacy_token(&fake, JWT_BEARER, &code, &d.client_secret).await;
    assert_eq!(first.status(), StatusCode::OK);
    let again = legacy_token(&fake, JWT_BEARER, &code, &d.client_secret).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["Error"], "invalid_grant");
}

#[tokio::test]
async fn codes_expire() {
    let fake = demo().await;
    fake.with(|w| w.lifetimes.code = Duration::ZERO);
    let d = legacy(&fake);
    let code = legacy_code(&fake).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let r = legacy_token(&fake, JWT_BEARER, &code, &d.client_secret).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_app_secret_is_refused_with_microsofts_exact_body() {
    let fake = demo().await;
    let d = legacy(&fake);
    let code = legacy_code(&fake).await;
    let r = legacy_token(&fake, JWT_BEARER, &code, &d.app_secret).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"Error": "invalid_client", "ErrorDescription": "Failed to deserialize the JsonWebToken object."}));
}

#[tokio::test]
async fn token_request_needs_form_content_type_and_the_exact_redirect_uri() {
    let fake = demo().await;
    let d = legacy(&fake);
    let code = legacy_code(&fake).await;
    let url = format!("{}/oauth2/token", fake.base_url());
    let body = format!(
        "client_assertion_type={ASSERTION_TYPE}&client_assertion={}&grant_type={JWT_BEARER}&assertion={code}&redirect_uri={}",
        d.client_secret, d.callback
    );
    let json_typed = client().post(&url).header("content-type", "application/json").body(body).send().await.unwrap();
    assert_eq!(json_typed.status(), StatusCode::BAD_REQUEST);
    let no_redirect = client()
        .post(&url)
        .form(&[
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &d.client_secret),
            ("grant_type", JWT_BEARER),
            ("assertion", &code),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(no_redirect.status(), StatusCode::BAD_REQUEST);
    let v: Value = no_redirect.json().await.unwrap();
    assert_eq!(v["Error"], "invalid_request");
    let wrong = client()
        .post(&url)
        .form(&[
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &d.client_secret),
            ("grant_type", JWT_BEARER),
            ("assertion", &code),
            ("redirect_uri", "https://other/connector/callback"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn token_response_has_microsofts_quirks() {
    let fake = demo().await;
    let d = legacy(&fake);
    let code = legacy_code(&fake).await;
    let body: Value = legacy_token(&fake, JWT_BEARER, &code, &d.client_secret).await.json().await.unwrap();
    assert_eq!(body["token_type"], "jwt-bearer");
    assert_eq!(body["expires_in"], "3599", "expires_in is a string");
    assert_eq!(body["scope"], "vso.work_full vso.project");
    assert!(body["access_token"].is_string() && body["refresh_token"].is_string());
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_dies() {
    let fake = demo().await;
    let d = legacy(&fake);
    let (_, refresh) = legacy_tokens(&fake).await;
    let r = legacy_token(&fake, "refresh_token", &refresh, &d.client_secret).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let rotated = body["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, refresh);
    let old = legacy_token(&fake, "refresh_token", &refresh, &d.client_secret).await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    assert_eq!(old.json::<Value>().await.unwrap()["Error"], "invalid_grant");
    assert!(fake.with(|w| w.is_refresh_token_live(rotated)));
    // The refresh token goes in `assertion`; a `refresh_token` field alone is not read.
    let misplaced = client()
        .post(format!("{}/oauth2/token", fake.base_url()))
        .form(&[
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &d.client_secret),
            ("grant_type", "refresh_token"),
            ("refresh_token", rotated),
            ("redirect_uri", &d.callback),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(misplaced.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn revoked_refresh_tokens_are_refused() {
    let fake = demo().await;
    let d = legacy(&fake);
    let (_, refresh) = legacy_tokens(&fake).await;
    fake.with(|w| w.revoke_all_refresh_tokens());
    let r = legacy_token(&fake, "refresh_token", &refresh, &d.client_secret).await;
    assert_eq!(r.json::<Value>().await.unwrap()["Error"], "invalid_grant");
}

#[tokio::test]
async fn faults_are_injected_in_order_and_every_request_is_counted() {
    let fake = demo().await;
    let d = legacy(&fake);
    let (_, refresh) = legacy_tokens(&fake).await;
    fake.with(|w| w.token_faults.extend([Fault::ServerError, Fault::GarbageBody, Fault::Delay(Duration::from_millis(300))]));
    let before = fake.token_requests();
    let e500 = legacy_token(&fake, "refresh_token", &refresh, &d.client_secret).await;
    assert_eq!(e500.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let garbage = legacy_token(&fake, "refresh_token", &refresh, &d.client_secret).await;
    assert_eq!(garbage.status(), StatusCode::OK);
    assert!(garbage.json::<Value>().await.is_err(), "body must not be JSON");
    let started = std::time::Instant::now();
    let slow = legacy_token(&fake, "refresh_token", &refresh, &d.client_secret).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(slow.status(), StatusCode::OK, "a delayed request still succeeds; faults kept the token alive");
    assert_eq!(fake.token_requests(), before + 3);
}
