//! Who signed in, as Azure DevOps' profile API names them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
pub struct Profile {
    pub id: String,
    pub display_name: String,
    pub email: String,
}
