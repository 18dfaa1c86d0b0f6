//! The edge where the core's typed errors become what the UI receives:
//! `{code, message, hint, detail?, fields?, did_you_mean?, link?}`. Nowhere else converts errors to this shape.

use connector_core::error::FieldError;
use connector_core::Error;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct UiError {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
    /// The platform's own words (e.g. a D-Bus error), shown behind a disclosure.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<String>", optional)]
    pub detail: Option<Box<str>>,
    /// Per-field problems, for forms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<FieldError>>", optional)]
    pub fields: Vec<FieldError>,
    /// An unknown scope's closest matches, offered as one-click replacements (boxed: most
    /// errors have none, and every command's `Result` carries this type).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub did_you_mean: Option<Box<DidYouMean>>,
    /// A link that fixes the problem when the right person opens it (a tenant's
    /// admin-consent page), offered to copy or open (boxed: every command's `Result` carries this type).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub link: Option<Box<Link>>,
    /// A legacy registration's Authorized scopes, when a scope mismatch knows them: offered as
    /// "Use the registration's N scopes".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<String>", optional)]
    pub registered_scopes: Option<Box<str>>,
}

/// A link, sent as a plain string.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(transparent)]
pub struct Link(pub String);

/// The word as typed, and what it may have meant.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DidYouMean {
    pub token: String,
    pub choices: Vec<String>,
}

impl From<Error> for UiError {
    fn from(e: Error) -> Self {
        let did_you_mean =
            e.did_you_mean().map(|(token, choices)| Box::new(DidYouMean { token: token.to_string(), choices: choices.to_vec() }));
        Self {
            code: e.code(),
            message: e.to_string(),
            hint: e.hint(),
            detail: e.detail().map(Box::from),
            fields: e.fields().to_vec(),
            did_you_mean,
            link: e.link().map(|l| Box::new(Link(l.to_string()))),
            registered_scopes: e.registered_scopes().map(Box::from),
        }
    }
}

/// What a command returns: the value, or the error as the UI shows it.
pub type Answer<T> = Result<T, UiError>;
