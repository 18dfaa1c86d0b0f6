//! Who signed in, as Azure DevOps' profile API names them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    pub id: String,
    pub display_name: String,
    pub email: String,
}
