//! A shared Library entry's move: the Entra entry is saved beside the legacy one (which
//! stays in force), the admin switches in one action and may switch back, and the
//! legacy entry and its Client Secret go once no installation uses legacy. Shared
//! installations refresh with the entry of their own kind meanwhile
//! (`Context::shared_entry_for`), and move when they are re-authenticated.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Migration;
use crate::error::{Error, Result};
use crate::model::connectors::{self, AuthKind};
use crate::model::installation::AppSource;
use crate::model::library_entry::{validate_entry, EntryInput, LibraryEntry};
use crate::store::keychain::library_secret;
use crate::store::settings::now_secs;

/// The Entra app an admin registered to replace the legacy one: Client ID, Tenant ID
/// (blank: each organization's own) and scopes. A public client: no secret.
#[derive(Debug, Clone, Deserialize)]
pub struct EntraEntryInput {
    pub connector: String,
    pub values: BTreeMap<String, String>,
}

impl Migration {
    fn editable(&self, connector: &str) -> Result<()> {
        self.state.settings.writable()?;
        match self.state.is_managed(connector) {
            true => Err(Error::ManagedByPolicy { connector: connector.to_string() }),
            false => Ok(()),
        }
    }

    /// Saves the Entra entry beside the connector's legacy entry, which stays in force.
    pub fn prepare(&self, input: EntraEntryInput) -> Result<()> {
        let manifest = connectors::require(&input.connector)?;
        self.editable(&manifest.id)?;
        if self.state.library_entry(&manifest.id).is_none_or(|e| e.auth_type != AuthKind::Legacy) {
            return Err(Error::NotFound(format!("a legacy Library entry for {}", manifest.id)));
        }
        let as_entry = EntryInput { connector: manifest.id.clone(), auth_type: "entra".into(), values: input.values, secret: None };
        let valid = validate_entry(manifest, &as_entry, false).map_err(Error::Fields)?;
        let entry = LibraryEntry { auth_type: AuthKind::Entra, values: valid.values, has_secret: false, updated_at: now_secs() };
        let id = manifest.id.clone();
        self.state.settings.update(|s| {
            // A test sign-in was of the app saved before.
            s.test_sign_ins.remove(&id);
            s.library_alternate.insert(id, entry);
            Ok(())
        })?;
        tracing::info!(connector = %manifest.id, "Entra entry saved beside the legacy one");
        Ok(())
    }

    /// Puts the other entry in force: new installs and re-authentications use it. The
    /// same action switches back.
    pub fn switch(&self, connector: &str) -> Result<()> {
        self.editable(connector)?;
        self.state.settings.update(|s| {
            let other = s.library_alternate.remove(connector).ok_or_else(|| Error::NotFound(format!("a second entry for {connector}")))?;
            if let Some(current) = s.library.insert(connector.to_string(), other) {
                s.library_alternate.insert(connector.to_string(), current);
            }
            Ok(())
        })?;
        tracing::info!(connector, "library entry switched");
        Ok(())
    }

    /// Shared installations of the connector still on legacy.
    pub fn legacy_left(&self, connector: &str) -> usize {
        let settings = self.state.settings.get();
        settings
            .installations
            .iter()
            .filter(|i| i.connector == connector && i.source == AppSource::Shared && i.auth_type == AuthKind::Legacy)
            .count()
    }

    /// Ends the move: with the Entra entry in force and no installation on legacy, the
    /// legacy entry goes, its Client Secret first (a keychain that refuses changes nothing).
    pub async fn finish(&self, connector: &str) -> Result<()> {
        self.editable(connector)?;
        let settings = self.state.settings.get();
        let in_force = settings.library.get(connector).map(|e| e.auth_type);
        let Some(legacy) = settings.library_alternate.get(connector).filter(|e| e.auth_type == AuthKind::Legacy) else {
            return Err(Error::NotFound(format!("a legacy entry kept for {connector}")));
        };
        if in_force != Some(AuthKind::Entra) {
            return Err(Error::NotFound(format!("an Entra entry in force for {connector}")));
        }
        let left = self.legacy_left(connector);
        if left > 0 {
            return Err(Error::LegacyStillInUse { count: left });
        }
        if legacy.has_secret {
            let account = library_secret(connector, AuthKind::Legacy);
            self.state.secrets(move |s| s.delete(&account)).await?;
        }
        self.state.settings.update(|s| {
            s.library_alternate.remove(connector);
            s.test_sign_ins.remove(connector);
            Ok(())
        })?;
        tracing::info!(connector, "move to Entra ID finished; legacy entry removed");
        Ok(())
    }
}
