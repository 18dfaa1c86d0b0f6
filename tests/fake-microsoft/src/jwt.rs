//! Entra access tokens shaped like Microsoft's: a JWT (`header.payload.signature`, each part
//! base64url without padding) whose payload carries the documented claims, among them `aud`
//! (the resource: Azure DevOps), `tid` (the tenant that issued the token), `oid`, `upn`, `scp`
//! and `exp` (access-token-claims-reference:
//! https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
//!
//! The signature is random: only the resource (Azure DevOps) validates its tokens, and a
//! client must treat them as opaque, so nothing here is meant to verify. The fake still
//! knows a token by its whole text (`World::access_tokens`), as before.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Value};

use crate::world::{Grant, World, ADO_RESOURCE};

fn part(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// A new access token for `grant`, valid for `lifetime`.
pub fn access_token(world: &World, grant: &Grant, lifetime: Duration) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let tid = grant.tenant.clone().unwrap_or_default();
    let upn = world.user(&grant.user_id).map(|u| u.email.clone()).unwrap_or_default();
    let header = json!({ "typ": "JWT", "alg": "RS256", "kid": "fake-microsoft" });
    let payload = json!({
        "aud": ADO_RESOURCE,
        "iss": format!("https://sts.windows.net/{tid}/"),
        "iat": now,
        "nbf": now,
        "exp": now + lifetime.as_secs(),
        "appid": grant.client_id,
        "oid": grant.user_id,
        "tid": tid,
        "upn": upn,
        "scp": grant.scopes.join(" "),
        // A unique id per token (Microsoft's `uti`): two tokens minted in the same second differ.
        "uti": Alphanumeric.sample_string(&mut rand::rng(), 22),
        "ver": "1.0",
    });
    let signature = URL_SAFE_NO_PAD.encode(Alphanumeric.sample_string(&mut rand::rng(), 64));
    format!("{}.{}.{signature}", part(&header), part(&payload))
}
