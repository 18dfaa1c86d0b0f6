//! The edge where the core's typed errors become what the UI receives:
//! `{code, message, hint, detail?, fields?, did_you_mean?, link?, registered_scopes?}`. Nowhere else converts errors to this shape.

use connector_core::error::FieldError;
use connector_core::Error;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct UiError {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
    /// What only some errors carry, sent beside the three above. Boxed: every command's
    /// `Result` carries this type, and clippy keeps an error under 128 bytes.
    #[serde(flatten)]
    pub more: Box<More>,
}

/// The extras of an error, each sent only when there is one.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct More {
    /// The platform's own words (e.g. a D-Bus error), shown behind a disclosure.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<String>,
    /// Per-field problems, for forms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<FieldError>>", optional)]
    pub fields: Vec<FieldError>,
    /// An unknown scope's closest matches, or a missing project's organization's projects, offered as one-click replacements.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub did_you_mean: Option<DidYouMean>,
    /// A link that fixes the problem when the right person opens it (a tenant's
    /// admin-consent page), offered to copy or open.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub link: Option<String>,
    /// A legacy registration's Authorized scopes, when a scope mismatch knows them: offered as
    /// "Use the registration's N scopes".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub registered_scopes: Option<String>,
}

/// The word as typed, and what it may have meant.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DidYouMean {
    pub token: String,
    pub choices: Vec<String>,
}

impl From<Error> for UiError {
    fn from(e: Error) -> Self {
        let more = More {
            detail: e.detail().map(str::to_string),
            fields: e.fields().iter().cloned().chain(e.field_at_fault()).collect(),
            did_you_mean: e.did_you_mean().map(|(token, choices)| DidYouMean { token: token.to_string(), choices: choices.to_vec() }),
            link: e.link().map(str::to_string),
            registered_scopes: e.registered_scopes().map(str::to_string),
        };
        Self { code: e.code(), message: e.to_string(), hint: e.hint(), more: Box::new(more) }
    }
}

/// What a command returns: the value, or the error as the UI shows it.
pub type Answer<T> = Result<T, UiError>;
