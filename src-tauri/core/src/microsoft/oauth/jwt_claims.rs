//! The tenant an Entra access token was issued by, read for a diagnosis only.
//!
//! An Entra access token is a JWT whose payload names the issuing tenant in `tid`
//! (access-token-claims-reference). The token belongs to its resource (Azure DevOps), which
//! alone validates it; so the app reads the payload *without* verifying the signature, and only
//! to explain an answer Azure DevOps already gave (a `TF400813` for a token of another tenant
//! than the organization's). Nothing is allowed or trusted on what this reads: a forged `tid`
//! could only change the words of an error.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use crate::model::ids::{is_guid, TenantId};

#[derive(Deserialize)]
struct Claims {
    tid: Option<String>,
}

/// The `tid` claim of a JWT (`header.payload.signature`, base64url); `None` for an opaque
/// token, a malformed one, or a `tid` that is not a tenant id (a GUID).
pub fn issuing_tenant(token: &str) -> Option<TenantId> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    // JWTs carry no padding; a padded part is read all the same.
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&bytes).ok()?;
    claims.tid.filter(|t| is_guid(t)).and_then(|t| TenantId::parse(&t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn jwt(payload: &str) -> String {
        format!("{}.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"RS256"}"#), URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_the_tenant_of_a_jwt() {
        let payload = format!(r#"{{"aud":"499b84ac-1321-427f-aa17-267ca6975798","tid":"{TENANT}","oid":"x","scp":"vso.work"}}"#);
        assert_eq!(issuing_tenant(&jwt(&payload)).as_ref().map(TenantId::as_str), Some(TENANT));
        let padded = format!("h.{}.s", base64::engine::general_purpose::URL_SAFE.encode(format!(r#"{{"tid":"{TENANT}"}}"#)));
        assert_eq!(issuing_tenant(&padded).as_ref().map(TenantId::as_str), Some(TENANT), "padding is tolerated");
    }

    #[test]
    fn anything_else_is_none() {
        for token in ["", "enta.opaque", "a.b", "a.b.c.d", "...", "h.!!!.s", &jwt("not json"), &jwt("[1,2]"), &jwt("{}")] {
            assert_eq!(issuing_tenant(token), None, "{token}");
        }
        assert_eq!(issuing_tenant(&jwt(r#"{"tid":42}"#)), None, "a tid that isn't text");
        assert_eq!(issuing_tenant(&jwt(r#"{"tid":"contoso.com"}"#)), None, "a tid that isn't a tenant id");
        let four = format!("{}.x", jwt(&format!(r#"{{"tid":"{TENANT}"}}"#)));
        assert_eq!(issuing_tenant(&four), None, "four parts are no JWT");
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(s in ".*") {
            let _ = issuing_tenant(&s);
        }

        #[test]
        fn never_panics_on_dotted_base64ish_text(s in "[A-Za-z0-9_=.-]{0,200}") {
            let _ = issuing_tenant(&s);
        }

        #[test]
        fn any_tenant_guid_is_read_back(g in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") {
            prop_assert_eq!(issuing_tenant(&jwt(&format!(r#"{{"tid":"{g}","oid":"o"}}"#))).map(|t| t.to_string()), Some(g));
        }
    }
}
