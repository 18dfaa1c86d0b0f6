//! An install, checked once and resolved to the app it will use: the library's
//! shared app, the user's own app given in the form, or (re-authenticating an
//! own-app installation) the app that installation already has.

use std::collections::BTreeMap;

use crate::error::{Error, FieldError, Result};
use crate::model::connectors::{self, FieldKind, Manifest};
use crate::model::installation::{AppSource, InstallInput, InstallationId};
use crate::model::library_entry::LibraryEntry;
use crate::model::library_entry::{validate_entry, EntryInput};
use crate::model::registration::AppRegistration;
use crate::model::scopes::{compare, explain_invalid_scope};
use crate::model::validate;
use crate::services::app_choice::{AppChoice, SecretSource};
use crate::store::settings::Settings;

#[derive(Debug, Clone)]
pub struct Resolved {
    pub connector: String,
    pub organization: String,
    pub project: String,
    pub app: AppRegistration,
    pub source: AppSource,
    /// An own app's non-secret values, kept with the installation.
    pub own_app: BTreeMap<String, String>,
    pub secret: SecretSource,
    pub reauth: Option<InstallationId>,
    /// A new install of an organization and project already installed: who signed in there.
    pub already_installed: Option<String>,
}

/// Validates the install against the manifest and the current settings.
/// `shared` is the connector's library entry (the policy's when managed), if any.
pub fn resolve(input: &InstallInput, settings: &Settings, shared: Option<&LibraryEntry>) -> Result<Resolved> {
    let manifest = connectors::require(&input.connector)?;
    let mut errors = Vec::new();
    // The install's own two fields, each checked by its kind; a problem is reported under the
    // field's id in the manifest, where the form shows it.
    let mut check = |kind: FieldKind, raw: &str| {
        let id = manifest.install_fields.iter().find(|f| f.kind == kind).map_or("", |f| f.id.as_str());
        validate::field(kind, "", raw).map_err(|message| errors.push(FieldError::new(id, message))).ok()
    };
    let organization = check(FieldKind::Organization, &input.organization);
    let project = check(FieldKind::Project, &input.project);
    let app = choose_app(manifest, input, settings, shared, &mut errors);
    match (app, organization, project) {
        (Some(chosen), Some(organization), Some(project)) if errors.is_empty() => Ok(Resolved {
            already_installed: already_installed(settings, input, &organization, &project),
            connector: manifest.id.clone(),
            organization,
            project,
            app: chosen.registration(manifest)?,
            own_app: if chosen.source == AppSource::Own { chosen.values } else { BTreeMap::new() },
            source: chosen.source,
            secret: chosen.secret,
            reauth: input.reauth.clone(),
        }),
        _ => Err(Error::Fields(errors)),
    }
}

/// Who signed in to an installation of the same connector, organization and project (Azure
/// DevOps names ignore case), unless this is that installation's re-authentication.
fn already_installed(settings: &Settings, input: &InstallInput, organization: &str, project: &str) -> Option<String> {
    settings
        .installations
        .iter()
        .filter(|i| input.reauth.as_ref() != Some(&i.id))
        .find(|i| {
            i.connector == input.connector && i.organization.eq_ignore_ascii_case(organization) && i.project.eq_ignore_ascii_case(project)
        })
        .map(|i| i.user.display_name.clone())
}

fn choose_app(
    manifest: &Manifest,
    input: &InstallInput,
    settings: &Settings,
    shared: Option<&LibraryEntry>,
    errors: &mut Vec<FieldError>,
) -> Option<AppChoice> {
    // Re-authenticating an own-app installation reuses its app unless new details are given:
    // then those (moving it from a legacy app to an Entra one, say), even beside a library app.
    let own_reauth = input.reauth.as_ref().and_then(|id| settings.installation(id)).filter(|i| i.source == AppSource::Own);
    match own_reauth {
        Some(i) if input.own_app.is_none() => return Some(AppChoice::own(i)),
        Some(_) => {}
        None => {
            if let Some(e) = shared {
                return Some(AppChoice::shared(&manifest.id, e));
            }
        }
    }
    let Some(own) = &input.own_app else {
        errors.push(FieldError::new("client_id", "This connector has no shared app in the library, so enter your own app's details."));
        return None;
    };
    let as_entry = EntryInput {
        connector: manifest.id.clone(),
        auth_type: own.auth_type.clone(),
        values: own.values.clone(),
        secret: own.secret.clone(),
    };
    match validate_entry(manifest, &as_entry, false) {
        Ok(v) => Some(AppChoice { kind: v.auth_type, values: v.values, source: AppSource::Own, secret: SecretSource::Given(v.new_secret) }),
        Err(mut f) => {
            errors.append(&mut f);
            None
        }
    }
}

/// Refuses scopes that Microsoft is known to refuse: a legacy registration's
/// Authorized scopes are learned from its token responses. Ones outside the catalog can't be
/// requested, so a registration with one refuses every request (Microsoft would too).
pub fn check_known_registration(r: &Resolved, settings: &Settings) -> Result<()> {
    let Some(known) = settings.known_registrations.get(&r.app.client_id) else {
        return Ok(());
    };
    let registered = known.all_known();
    if registered.is_some_and(|k| compare(&r.app.scopes, k).is_exact()) {
        return Ok(());
    }
    let e = explain_invalid_scope(&r.app.scopes, registered);
    Err(Error::InvalidScope {
        message: format!(
            "These scopes would be refused by Microsoft. {}",
            e.message.trim_start_matches("Microsoft refused the sign-in with InvalidScope. ")
        ),
        remedy: e.hint,
        registered: Some(known.to_string()),
    })
}
