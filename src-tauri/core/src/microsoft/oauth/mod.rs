//! OAuth for Azure DevOps: the legacy Assertion flow (`legacy`), Entra ID with
//! PKCE (`entra`), the token responses of both (`token`), the redirect that
//! carries the answer (`callback`), the loopback listener for the browser flow, and the
//! issuing tenant read from an Entra access token for a diagnosis (`jwt_claims`).

pub mod callback;
pub mod entra;
pub mod entra_error;
pub mod jwt_claims;
pub mod legacy;
pub mod loopback;
pub mod token;
