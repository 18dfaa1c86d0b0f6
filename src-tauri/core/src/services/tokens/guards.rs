//! What stops an installation's tokens from being used: an endpoint other than
//! the one it was made against, and a Continuous Access Evaluation challenge.

use super::{Ask, Seen, Tokens};
use crate::error::{Error, Result};
use crate::model::connectors::AuthKind;
use crate::model::installation::{Installation, InstallationId};
use crate::secret::AccessToken;

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

    /// Continuous Access Evaluation challenged the token. As Microsoft's CAE guide and MSAL
    /// do, a silent token request carrying the claims comes first: many challenges (a new
    /// network, a new IP) are met by it, with no window. Only when Microsoft answers
    /// `interaction_required` (or the refresh token is gone) does it need a sign-in, and
    /// then the claims are kept for Re-authenticate. Shared with other callers like any refresh.
    pub async fn answer_claims_challenge(&self, id: &InstallationId, claims: String) -> Result<AccessToken> {
        let i = self.installation(id)?;
        self.same_endpoint(&i)?;
        if i.auth_type != AuthKind::Entra {
            // Only Entra tokens carry CAE; a challenge for anything else can't be answered silently.
            return Err(self.claims_challenge(id, claims).await);
        }
        tracing::info!(installation = id.as_str(), "claims challenge: asking again silently with the claims");
        self.refresh_since(id, Seen::of(&i), Ask::Claims(&claims)).await
    }

    /// A claims challenge only a sign-in can answer: the claims are kept on the installation
    /// for Re-authenticate, and it needs re-authentication.
    pub async fn claims_challenge(&self, id: &InstallationId, claims: String) -> Error {
        let kept = self.state.settings.update(|s| {
            if let Some(i) = s.installation_mut(id) {
                i.claims = Some(claims.clone());
            }
            Ok(())
        });
        if let Err(e) = kept {
            tracing::warn!(installation = id.as_str(), error = %e, "could not keep the claims challenge; Re-authenticate still works without it");
        }
        self.needs_reauth(id, Error::ClaimsChallenge { claims }.to_string()).await
    }
}
