//! The move from legacy Azure DevOps OAuth, which Microsoft retires in 2026, to
//! Microsoft Entra ID: the registration guide (`guide.rs`), and for a shared Library
//! entry the Entra entry beside it, the switch and back, and the legacy entry's
//! removal once nothing uses it (`entries.rs`). Installations move by re-authenticating.

mod entries;
mod guide;

use std::sync::Arc;

use crate::services::context::Context;

pub use entries::EntraEntryInput;
pub use guide::{Audience, LegacyApp, RegistrationGuide, TenantFinding};

pub struct Migration {
    state: Arc<Context>,
}

impl Migration {
    pub fn new(state: Arc<Context>) -> Self {
        Self { state }
    }
}
