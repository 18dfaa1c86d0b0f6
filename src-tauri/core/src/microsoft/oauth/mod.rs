//! OAuth for Azure DevOps: the legacy Assertion flow (`legacy`), Entra ID with
//! PKCE (`entra`), the token responses of both (`token`), the redirect that
//! carries the answer (`callback`) and the loopback listener for the browser flow.

pub mod callback;
pub mod entra;
pub mod entra_error;
pub mod legacy;
pub mod loopback;
pub mod token;
