//! An admin's test sign-in with the Entra app prepared beside a legacy Library entry,
//! before the switch: who signed in where, kept so the move can say whether the app
//! was ever shown to work. Tokens are never part of it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::ids::{ClientId, TenantId};

/// What the admin names for a test sign-in: the connector whose prepared Entra app to
/// try, and an organization and project to sign in to.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct TestSignInInput {
    pub connector: String,
    pub organization: String,
    pub project: String,
}

/// A test sign-in that worked: the prepared app signed this user in and reached the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TestedSignIn {
    /// The prepared app it tested, and that entry's last save (a changed entry is untested).
    #[ts(as = "String")]
    pub client_id: ClientId,
    #[ts(type = "number")]
    pub entry_updated_at: u64,
    pub user: String,
    pub organization: String,
    pub project: String,
    /// The tenant it signed in through.
    #[ts(as = "String")]
    pub tenant: TenantId,
    #[ts(type = "number")]
    pub at: u64,
}

impl TestedSignIn {
    /// Whether this test is of the entry with this Client ID as last saved at `updated_at`
    /// (a leaf of the model: it takes the entry's values, not the entry).
    pub fn is_for(&self, client_id: Option<&ClientId>, updated_at: u64) -> bool {
        client_id == Some(&self.client_id) && updated_at == self.entry_updated_at
    }
}
