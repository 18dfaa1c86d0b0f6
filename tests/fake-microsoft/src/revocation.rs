//! What ends tokens in the fake: revocation, expiry, and Continuous Access Evaluation, whose
//! events challenge Entra access tokens (Azure DevOps answers with a claims challenge,
//! devops.rs) and decide whether a token request can still answer silently (entra.rs):
//! https://learn.microsoft.com/en-us/entra/identity-platform/app-resilience-continuous-access-evaluation

use std::time::Instant;

use crate::world::{Flow, World};

impl World {
    /// A critical event that ends the session (a disabled account, a reset password):
    /// Entra access tokens stop working at once (a claims challenge) and their refresh
    /// tokens are revoked, so even a request with the claims needs the user (AADSTS50173).
    pub fn revoke_by_continuous_access_evaluation(&mut self) {
        self.challenge_entra_access_tokens();
        let ended: Vec<String> = self.refresh_tokens.iter().filter(|(_, g)| g.flow == Flow::Entra).map(|(t, _)| t.clone()).collect();
        self.refresh_tokens.retain(|_, g| g.flow != Flow::Entra);
        self.cae_ended_sessions.extend(ended);
    }

    /// A CAE event the session survives (the device moved to another network or IP): Entra
    /// access tokens get a claims challenge, and a silent token request that carries the
    /// challenge's claims gets a token that satisfies them (Microsoft's CAE guide; MSAL's
    /// `AcquireTokenSilent(...).WithClaims(...)`). Without the claims, the new token is
    /// challenged again.
    pub fn challenge_by_continuous_access_evaluation(&mut self) {
        self.challenge_entra_access_tokens();
        let live: Vec<String> = self.refresh_tokens.iter().filter(|(_, g)| g.flow == Flow::Entra).map(|(t, _)| t.clone()).collect();
        self.cae_challenged.extend(live);
    }

    fn challenge_entra_access_tokens(&mut self) {
        let entra: Vec<String> = self.access_tokens.iter().filter(|(_, g)| g.flow == Flow::Entra).map(|(t, _)| t.clone()).collect();
        self.cae_revoked.extend(entra);
    }

    /// Revokes every refresh token issued so far, as a user removing the app's
    /// authorization (or an admin revoking tokens) would.
    pub fn revoke_all_refresh_tokens(&mut self) {
        let revoked: Vec<String> = self.refresh_tokens.drain().map(|(k, _)| k).collect();
        self.dead_refresh_tokens.extend(revoked);
    }

    /// Makes every access token issued so far expire now.
    pub fn expire_all_access_tokens(&mut self) {
        let now = Instant::now();
        for grant in self.access_tokens.values_mut() {
            grant.expires = Some(now);
        }
    }

    pub fn live_refresh_tokens(&self) -> usize {
        self.refresh_tokens.len()
    }

    pub fn is_refresh_token_live(&self, token: &str) -> bool {
        self.refresh_tokens.contains_key(token)
    }
}

/// Whether a token request's `claims` asks for the essential `nbf` claim the fake's CAE
/// challenge names (devops.rs, `claims_challenge`): what a client copies from the challenge.
pub fn answers_challenge(claims: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(claims).is_ok_and(|v| v["access_token"]["nbf"]["essential"] == true)
}

/// Whether an authorize request's `claims` declares the CP1 client capability
/// (`{"access_token":{"xms_cc":{"values":["CP1"]}}}`), as MSAL and Azure CLI send it.
pub fn declares_cp1(claims: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(claims)
        .ok()
        .and_then(|v| v.pointer("/access_token/xms_cc/values").cloned())
        .and_then(|v| v.as_array().map(|a| a.iter().any(|x| x == "CP1")))
        == Some(true)
}
