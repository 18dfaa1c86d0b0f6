//! Installations for the benchmarks: plausible metadata, no tokens (tokens
//! are read from the keychain only when needed, so the list never touches it).

use std::collections::BTreeMap;

use connector_core::model::installation::{AppSource, Installation, InstallationId};
use connector_core::model::profile::Profile;
use connector_core::model::scopes::GrantedScopes;
use connector_core::store::settings::{now_secs, Settings};

pub fn many_installations(n: usize) -> Settings {
    let mut s = Settings::default();
    let now = now_secs();
    for i in 0..n {
        s.installations.push(Installation {
            id: InstallationId::parse(&format!("inst{i:06}")).unwrap(),
            connector: "azure-devops".into(),
            organization: format!("org-{i}"),
            project: format!("Project {i}"),
            project_id: format!("00000000-0000-4000-8000-{i:012}"),
            auth_type: connector_core::model::registration::AuthKind::Legacy,
            source: AppSource::Shared,
            own_app: BTreeMap::new(),
            scopes: GrantedScopes::read("vso.project vso.work_full"),
            user: Profile { id: "u".into(), display_name: "Dana Developer".into(), email: "dana@contoso.com".into() },
            access_expires_at: now + 3600,
            access_lifetime_secs: 3600,
            last_refreshed_at: None,
            created_at: now,
            tenant: None,
            claims: None,
            endpoint: None,
            needs_reauth: None,
        });
    }
    s
}
