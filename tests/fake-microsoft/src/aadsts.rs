//! How Microsoft Entra ID says no: an `AADSTS` code with its text, either on the redirect
//! (`error` and `error_description`) or as the token endpoint's JSON body (with the numeric
//! `error_codes`), as reference-error-codes describes them:
//! https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::random_token;

fn description(code: u32, text: &str) -> String {
    format!(
        "AADSTS{code}: {text}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: 2026-11-27 00:00:00Z",
        random_token("t"),
        random_token("c")
    )
}

pub fn redirect_error(redirect: &str, error: &str, code: u32, text: &str, state: &str) -> Response {
    let mut url = url::Url::parse(redirect).expect("checked before");
    url.query_pairs_mut()
        .append_pair("error", error)
        .append_pair("error_description", &description(code, text))
        .append_pair("state", state);
    crate::found(url.as_str())
}

/// Microsoft's descriptions of the Conditional Access codes (reference-error-codes).
pub fn conditional_access_text(code: u32) -> &'static str {
    match code {
        53000 => "Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant.",
        53001 => "Device is not in required device state: domain_joined. Conditional Access policy requires a domain joined device, and the device is not domain joined.",
        // Descriptions as Microsoft's table gives them (reference-error-codes).
        530032 => "BlockedByConditionalAccessOnSecurityPolicy - The tenant admin has configured a security policy that blocks this request.",
        530035 => "BlockedBySecurityDefaults - Access has been blocked by security defaults.",
        53002 => "ApplicationUsedIsNotAnApprovedApp - The app used isn't an approved app for Conditional Access.",
        53004 => "ProofUpBlockedDueToRisk - User needs to complete the multifactor authentication registration process before accessing this content.",
        53011 => "User blocked due to risk on home tenant.",
        _ => "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
    }
}

pub fn token_error(status: StatusCode, error: &str, code: u32, text: &str) -> Response {
    (
        status,
        Json(json!({
            "error": error,
            "error_description": description(code, text),
            "error_codes": [code],
            "timestamp": "2026-11-27 00:00:00Z",
            "trace_id": random_token("t"),
            "correlation_id": random_token("c"),
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        })),
    )
        .into_response()
}
