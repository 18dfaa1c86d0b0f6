//! OAuth for Azure DevOps: the legacy Assertion flow and its token format.

pub mod callback;
pub mod entra;
pub mod legacy;
pub mod loopback;
pub mod token;
