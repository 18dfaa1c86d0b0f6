//! The HTML the fake serves: consent pages, error pages, and the sign-in page
//! Azure DevOps returns (with HTTP 203) for a token it doesn't accept.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::world::User;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}}\
         button{{font:inherit;padding:.4rem 1.2rem;margin-right:.5rem}}li{{margin:.2rem 0}}</style></head>\
         <body>{body}</body></html>",
        t = escape(title)
    )
}

/// Microsoft's own error page: shown in place of a redirect when the request
/// can't be trusted to go back to the app (unknown app, unregistered callback).
pub fn error_page(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<h1>Sorry, but we're having trouble signing you in.</h1><p id=\"error-code\">{}</p><p id=\"error-message\">{}</p>",
        escape(code),
        escape(message)
    );
    (status, Html(page("Error", &body))).into_response()
}

/// The page Azure DevOps REST serves, with HTTP 203, for a token it rejects.
pub fn sign_in_203() -> Response {
    let body = "<h1>Azure DevOps Services | Sign In</h1><p>Sign in to continue.</p>";
    (StatusCode::NON_AUTHORITATIVE_INFORMATION, Html(page("Azure DevOps Services | Sign In", body))).into_response()
}

pub struct Consent<'a> {
    pub title: &'a str,
    pub app_name: &'a str,
    pub scope_names: Vec<String>,
    pub users: &'a [User],
    pub default_user: Option<&'a str>,
    /// Hidden fields echoed back with the decision.
    pub fields: Vec<(&'a str, &'a str)>,
    pub action: &'a str,
}

/// Sign-in and consent in one page: pick an account, then Accept or Deny.
/// Plain form controls, so keyboard users and WebDriver can both drive it.
pub fn consent(c: Consent<'_>) -> Response {
    let scopes: String = c.scope_names.iter().map(|n| format!("<li>{}</li>", escape(n))).collect();
    let users: String = c
        .users
        .iter()
        .map(|u| {
            let sel = if Some(u.id.as_str()) == c.default_user { " selected" } else { "" };
            format!("<option value=\"{}\"{sel}>{} ({})</option>", escape(&u.id), escape(&u.display_name), escape(&u.email))
        })
        .collect();
    let hidden: String =
        c.fields.iter().map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(k), escape(v))).collect();
    let body = format!(
        "<h1>{title}</h1><form method=\"post\" action=\"{action}\">\
         <p><label for=\"user\">Account</label> <select id=\"user\" name=\"user\">{users}</select></p>\
         <p><strong id=\"app-name\">{app}</strong> would like to:</p><ul id=\"scopes\">{scopes}</ul>{hidden}\
         <button id=\"accept\" type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>\
         <button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
        title = escape(c.title),
        action = escape(c.action),
        app = escape(c.app_name),
    );
    // Microsoft's sign-in pages set persistent session cookies ("stay signed in");
    // a browser that keeps them on disk signs the next person in as this one.
    let session = format!("FakeMicrosoftSession={:016x}; Path=/; Max-Age=86400; HttpOnly", rand::random::<u64>());
    ([(axum::http::header::SET_COOKIE, session)], Html(page(c.title, &body))).into_response()
}
