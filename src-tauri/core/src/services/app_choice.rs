//! "Which app, and which Client Secret": one answer for sign-in and refresh.
//!
//! An installation uses either its own app (values kept with it, secret under its id in
//! the keychain) or the Connector Library's shared app (the entry's values, secret under
//! the connector). A new install may also bring an app typed into the form.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::connectors::Manifest;
use crate::model::installation::{AppSource, Installation, InstallationId};
use crate::model::library_entry::LibraryEntry;
use crate::model::registration::{AppRegistration, AuthKind};
use crate::secret::Secret;

/// Where the app's Client Secret comes from.
#[derive(Debug, Clone)]
pub enum SecretSource {
    /// The library entry's of this kind, in the keychain under the connector.
    Library { connector: String, kind: AuthKind },
    /// The installation's own app's, in the keychain under this installation id.
    Installation(InstallationId),
    /// Typed into the form (or none given).
    Given(Option<Secret>),
}

/// The app one sign-in or refresh uses.
#[derive(Debug, Clone)]
pub struct AppChoice {
    pub kind: AuthKind,
    pub values: BTreeMap<String, String>,
    pub source: AppSource,
    pub secret: SecretSource,
}

impl AppChoice {
    /// The library's shared app (the policy's, when managed).
    pub fn shared(connector: &str, entry: &LibraryEntry) -> Self {
        // An Entra public client has no secret: no keychain call to make.
        let secret = if entry.auth_type == AuthKind::Legacy || entry.has_secret {
            SecretSource::Library { connector: connector.to_string(), kind: entry.auth_type }
        } else {
            SecretSource::Given(None)
        };
        AppChoice { kind: entry.auth_type, values: entry.values.clone(), source: AppSource::Shared, secret }
    }

    /// The user's own app an installation keeps (whatever its source says).
    pub fn own(installation: &Installation) -> Self {
        AppChoice {
            kind: installation.auth_type,
            values: installation.own_app.clone(),
            source: AppSource::Own,
            secret: SecretSource::Installation(installation.id.clone()),
        }
    }

    /// The app an existing installation signed in with. `shared` is its connector's
    /// library entry, if there still is one.
    pub fn of(installation: &Installation, shared: Option<&LibraryEntry>) -> Result<Self> {
        match installation.source {
            AppSource::Own => Ok(Self::own(installation)),
            AppSource::Shared => shared
                .map(|entry| Self::shared(&installation.connector, entry))
                .ok_or_else(|| Error::NeedsReauth { description: "the shared app was removed from the Connector Library".into() }),
        }
    }

    pub fn registration(&self, manifest: &Manifest) -> Result<AppRegistration> {
        AppRegistration::from_values(manifest, self.kind, &self.values)
    }
}
