//! What some errors carry beside their message and hint, for the window to act on: the
//! platform's own words, per-field problems, a scope's closest matches, the registration's
//! scopes, a link for someone else to open. The command edge sends each only when there is one.

use super::{Error, FieldError};

impl Error {
    /// The platform's own words, for a "technical detail" disclosure, when they add anything.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::KeychainUnavailable { detail, .. } | Self::BrowserFailed { detail } if !detail.is_empty() => Some(detail),
            _ => None,
        }
    }

    /// Per-field problems, for forms (empty for every other error).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Fields(f) => f,
            _ => &[],
        }
    }

    /// The form field to mark for an error Azure DevOps found after sign-in: a project that
    /// doesn't exist is the Project field's problem. The window marks it as a field error.
    pub fn field_at_fault(&self) -> Option<FieldError> {
        match self {
            Self::ProjectNotFound { org, project, .. } => Some(FieldError::new("project", format!("{org} has no project \"{project}\"."))),
            _ => None,
        }
    }

    /// For an unknown scope: the word as typed and the catalog's closest scopes; for a project
    /// that doesn't exist: its name and the organization's projects. A view can offer each as a
    /// one-click replacement (the hint says the same in words).
    pub fn did_you_mean(&self) -> Option<(&str, &[String])> {
        match self {
            Self::UnknownScope { token, suggestions } if !suggestions.is_empty() => Some((token, suggestions)),
            Self::ProjectNotFound { project, available, .. } if !available.is_empty() => Some((project, available)),
            _ => None,
        }
    }

    /// A legacy registration's Authorized scopes, when a scope mismatch knows them.
    pub fn registered_scopes(&self) -> Option<&str> {
        match self {
            Self::InvalidScope { registered: Some(r), .. } => Some(r),
            _ => None,
        }
    }

    /// A link that fixes it when the right person opens it (an admin-consent page).
    pub fn link(&self) -> Option<&str> {
        match self {
            Self::AdminConsentRequired { url, .. } => Some(url),
            _ => None,
        }
    }
}
