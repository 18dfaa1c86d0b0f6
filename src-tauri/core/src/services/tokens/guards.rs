//! What stops an installation's tokens from being used: an endpoint other than
//! the one it was made against, and a Continuous Access Evaluation challenge.

use super::Tokens;
use crate::error::{Error, Result};
use crate::model::installation::Installation;

impl Tokens {
    /// An installation's tokens and secret go only to the endpoint it was made against.
    pub(super) fn same_endpoint(&self, i: &Installation) -> Result<()> {
        let now = self.state.endpoints().overridden_by.clone();
        if i.endpoint == now {
            return Ok(());
        }
        let name = |e: Option<String>| e.unwrap_or_else(|| "Microsoft".into());
        Err(Error::EndpointMismatch { made_with: name(i.endpoint.clone()), now: name(now) })
    }

    /// Continuous Access Evaluation revoked the token: only a sign-in that answers the
    /// claims challenge helps (kept on the installation for Re-authenticate).
    pub async fn claims_challenge(&self, id: &str, claims: String) -> Error {
        let kept = self.state.settings.update(|s| {
            if let Some(i) = s.installation_mut(id) {
                i.claims = Some(claims.clone());
            }
            Ok(())
        });
        if let Err(e) = kept {
            tracing::warn!(installation = id, error = %e, "could not keep the claims challenge; Re-authenticate still works without it");
        }
        self.needs_reauth(id, Error::ClaimsChallenge { claims }.to_string()).await
    }
}
