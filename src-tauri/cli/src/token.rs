//! `connector-console token`: a valid access token on stdout and nothing else.

use std::io::Write;

use connector_core::store::settings::now_secs;
use connector_core::{Error, Services};
use serde::Serialize;

use super::select::Selection;

#[derive(Serialize)]
struct TokenJson<'a> {
    access_token: &'a str,
    expires_at: u64,
    scopes: &'a str,
    token_type: &'static str,
}

/// `claims`: a CAE claims challenge the token must answer (silently first, as the window does).
pub async fn run(services: &Services, selection: &Selection, json: bool, claims: Option<String>) -> Result<(), Error> {
    let all = services.installations.all();
    let id = selection.pick(&all)?.id.clone();
    let token = match claims {
        Some(claims) => services.tokens.answer_claims_challenge(&id, claims).await?,
        None => services.tokens.access_token(&id).await?,
    };
    // The record after a refresh has the new expiry.
    let i = services.installations.get(&id)?;
    let out = if json {
        let scopes = i.scopes.to_string();
        let body = TokenJson {
            access_token: token.expose(),
            expires_at: i.access_expires_at.max(now_secs()),
            scopes: &scopes,
            token_type: "Bearer",
        };
        serde_json::to_string(&body).map_err(|e| Error::Internal { detail: e.to_string() })?
    } else {
        token.expose().to_string()
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}")
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Internal { detail: format!("writing the token to stdout: {e}") })
}
