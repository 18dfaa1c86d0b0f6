//! A page of installations: a search over organization, project and user, a
//! status filter, an offset and a limit. The window asks for one page and the
//! count, never for every row.

use serde::{Deserialize, Serialize};

use super::view::InstallationView;
use crate::model::installation::Installation;
use crate::services::tokens::Status;
use ts_rs::TS;

/// The most rows one page returns.
pub const MAX_PAGE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    Connected,
    Refreshing,
    NeedsReauth,
    Error,
}

impl StatusFilter {
    fn matches(self, s: &Status) -> bool {
        matches!(
            (self, s),
            (Self::Connected, Status::Connected)
                | (Self::Refreshing, Status::Refreshing)
                | (Self::NeedsReauth, Status::NeedsReauth { .. })
                | (Self::Error, Status::Error { .. })
        )
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct PageQuery {
    #[serde(default)]
    #[ts(as = "Option<usize>", optional)]
    pub offset: usize,
    #[serde(default = "default_limit")]
    #[ts(as = "Option<usize>", optional)]
    pub limit: usize,
    /// Matched, case-insensitively, against organization, project, user name and email.
    #[serde(default)]
    #[ts(as = "Option<String>", optional)]
    pub search: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub status: Option<StatusFilter>,
}

fn default_limit() -> usize {
    50
}

impl PageQuery {
    pub(super) fn matches(&self, i: &Installation, status: &Status) -> bool {
        let words: Vec<String> = self.search.split_whitespace().map(str::to_lowercase).collect();
        let hay = [&i.organization, &i.project, &i.user.display_name, &i.user.email];
        let found = words.iter().all(|w| hay.iter().any(|h| h.to_lowercase().contains(w.as_str())));
        found && self.status.is_none_or(|f| f.matches(status))
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Page {
    /// Every installation.
    pub total: usize,
    /// Those the search and filter match.
    pub matching: usize,
    pub offset: usize,
    pub rows: Vec<InstallationView>,
}
