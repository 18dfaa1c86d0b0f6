//! Fleet provisioning: an organization deploys a managed library entry to many
//! machines by dropping a policy file in a system location (Intune, Jamf,
//! Ansible, a package of its own). The file never holds a secret; the app shows
//! the entry as "Managed by your organization" and nobody can change or clear it
//! here. A broken or unreadable file is ignored with a notice: the app starts.
//!
//! ```json
//! { "version": 1,
//!   "connectors": { "azure-devops": { "auth_type": "entra", "client_id": "…",
//!                                     "tenant_id": "organizations", "scopes": "vso.work_full" } } }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::connectors::{self, AuthKind};
use crate::model::library_entry::LibraryEntry;
use crate::model::library_entry::{validate_entry, EntryInput};
use crate::model::secret_expiry;
use crate::notice::{Notice, NoticeCode};

/// Points the app at another policy file (for a portable setup or a test).
pub const POLICY_VAR: &str = "CONNECTOR_CONSOLE_POLICY";
pub const POLICY_VERSION: u32 = 1;

/// Where the platform's managed configuration goes.
pub fn default_path() -> PathBuf {
    if cfg!(target_os = "windows") {
        let base = std::env::var_os("ProgramData").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        base.join("Connector Console").join("policy.json")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Connector Console/policy.json")
    } else {
        PathBuf::from("/etc/connector-console/policy.json")
    }
}

/// The system policy file; the variable only where there is none, so a user can't
/// drop the organization's managed entry by pointing the app elsewhere (`/dev/null`).
pub fn path_from_env() -> PathBuf {
    let system = default_path();
    if system.exists() {
        return system;
    }
    std::env::var_os(POLICY_VAR).filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or(system)
}

/// A policy file is small; anything larger is not one.
const MAX_POLICY_BYTES: u64 = 64 * 1024;

/// Only a file its user can't rewrite is trusted: not a symbolic link, not writable by
/// group or others, and at the system location owned by root.
#[cfg(unix)]
fn untrusted(path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    untrusted_at(meta, path == default_path())
}

/// The same, saying whether the file is at the system location, where it must be root's.
#[cfg(unix)]
fn untrusted_at(meta: &std::fs::Metadata, system: bool) -> Option<String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if meta.file_type().is_symlink() {
        return Some("it is a symbolic link (deploy the file itself)".into());
    }
    if meta.permissions().mode() & 0o022 != 0 {
        return Some(format!("other users can write it (mode {:o}; make it 0644 or stricter)", meta.permissions().mode() & 0o777));
    }
    if system && meta.uid() != 0 {
        return Some("it is not owned by root".into());
    }
    None
}

/// Windows: not a link, and only SYSTEM and Administrators may write it (its access list).
#[cfg(windows)]
fn untrusted(path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    if meta.file_type().is_symlink() {
        return Some("it is a symbolic link (deploy the file itself)".into());
    }
    super::windows_acl::others_may_write(path)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    version: u32,
    #[serde(default)]
    connectors: BTreeMap<String, BTreeMap<String, String>>,
    /// A managed legacy entry's move to Entra ID: the Entra entry and the date from which
    /// it is in force.
    #[serde(default)]
    migrations: BTreeMap<String, MigrationFields>,
    /// `false`: no desktop notifications on this machine, whatever the user's setting.
    #[serde(default)]
    desktop_notifications: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MigrationFields {
    migrate_by: String,
    entra: BTreeMap<String, String>,
}

/// A managed entry's move to Entra ID, deployed by the policy file.
#[derive(Debug, Clone)]
pub struct ManagedMove {
    pub entra: LibraryEntry,
    /// `YYYY-MM-DD`: from this day new installs use the Entra entry, and installations
    /// still on legacy must move.
    pub migrate_by: String,
    /// The same day, in days since the epoch.
    pub migrate_by_day: i64,
}

/// A policy file's managed entries and moves to Entra ID, by connector id.
pub type Parsed = (BTreeMap<String, LibraryEntry>, BTreeMap<String, ManagedMove>);

/// The managed entries and moves, by connector id.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub path: PathBuf,
    pub entries: BTreeMap<String, LibraryEntry>,
    pub moves: BTreeMap<String, ManagedMove>,
    /// The file's `"desktop_notifications": false`: the organization turned them off.
    pub notifications_off: bool,
}

/// A key that names a secret, or a value that looks like one, is refused: policy
/// files are world-readable and copied around by deployment tools.
fn secret_looking(key: &str, value: &str) -> bool {
    let k = key.to_ascii_lowercase();
    let jwt = value.starts_with("eyJ") && value.split('.').count() >= 3;
    ["secret", "password", "token", "credential", "key"].iter().any(|w| k.contains(w)) || jwt
}

impl Policy {
    /// Reads the policy file. No file: no policy. A bad file: no policy, and a
    /// notice saying what is wrong and where.
    pub fn load(path: &Path) -> (Self, Option<Notice>) {
        let none = Self { path: path.to_path_buf(), ..Self::default() };
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (none, None),
            Err(e) => return (none, Some(Self::notice(path, &format!("it could not be read ({e})")))),
        };
        if let Some(problem) = untrusted(path, &meta) {
            tracing::warn!(path = %path.display(), problem, "policy file not trusted");
            return (none, Some(Self::notice(path, &problem)));
        }
        let mut text = String::new();
        let read = std::fs::File::open(path)
            .and_then(|f| std::io::Read::read_to_string(&mut std::io::Read::take(f, MAX_POLICY_BYTES + 1), &mut text));
        match read {
            Ok(n) if n as u64 > MAX_POLICY_BYTES => {
                return (none, Some(Self::notice(path, &format!("it is larger than {} KiB", MAX_POLICY_BYTES / 1024))))
            }
            Ok(_) => {}
            Err(e) => return (none, Some(Self::notice(path, &format!("it could not be read ({e})")))),
        }
        match Self::parse_file(&text) {
            Ok(((entries, moves), notifications_off)) => {
                tracing::info!(path = %path.display(), managed = entries.len(), moves = moves.len(), notifications_off, "policy file applied");
                (Self { path: path.to_path_buf(), entries, moves, notifications_off }, None)
            }
            Err(problem) => {
                tracing::warn!(path = %path.display(), problem, "policy file ignored");
                (none, Some(Self::notice(path, &problem)))
            }
        }
    }

    fn notice(path: &Path, problem: &str) -> Notice {
        Notice {
            code: NoticeCode::PolicyIgnored,
            message: format!(
                "The policy file {} is ignored because {problem}. Nothing from it is applied; ask your IT department to fix it.",
                path.display()
            ),
        }
    }

    /// Checks every entry as the library form would, without a secret.
    pub fn parse(text: &str) -> Result<BTreeMap<String, LibraryEntry>, String> {
        Self::parse_all(text).map(|(entries, _)| entries)
    }

    /// The entries and the moves to Entra ID. A move needs a managed legacy entry to move
    /// from, an Entra entry as valid as any, and a real date.
    pub fn parse_all(text: &str) -> Result<Parsed, String> {
        Self::parse_file(text).map(|(parsed, _)| parsed)
    }

    /// The entries and moves, and whether the file turns desktop notifications off.
    fn parse_file(text: &str) -> Result<(Parsed, bool), String> {
        let file: PolicyFile = serde_json::from_str(text).map_err(|e| format!("it is not a valid policy file ({e})"))?;
        if file.version != POLICY_VERSION {
            return Err(format!("its version is {}, and this app reads version {POLICY_VERSION}", file.version));
        }
        let mut entries = BTreeMap::new();
        for (connector, fields) in file.connectors {
            let mut values = fields.clone();
            let auth_type = values.remove("auth_type").ok_or_else(|| format!("{connector} has no \"auth_type\""))?;
            let entry = entry(&connector, &connector, auth_type, values)?;
            entries.insert(connector, entry);
        }
        let mut moves = BTreeMap::new();
        for (connector, m) in file.migrations {
            if entries.get(&connector).is_none_or(|e| e.auth_type != AuthKind::Legacy) {
                return Err(format!("its migration for {connector} has no legacy entry in \"connectors\" to move from"));
            }
            let migrate_by_day = secret_expiry::parse_date(&m.migrate_by)
                .ok_or_else(|| format!("its migration for {connector} has \"migrate_by\": \"{}\", not a YYYY-MM-DD date", m.migrate_by))?;
            let entra = entry(&connector, &format!("{connector}'s migration"), "entra".into(), m.entra)?;
            moves.insert(connector, ManagedMove { entra, migrate_by: m.migrate_by, migrate_by_day });
        }
        Ok(((entries, moves), file.desktop_notifications == Some(false)))
    }
}

/// One entry of the file, checked as the library form would, without a secret.
fn entry(connector: &str, place: &str, auth_type: String, values: BTreeMap<String, String>) -> Result<LibraryEntry, String> {
    let manifest = connectors::get(connector).ok_or_else(|| format!("it names an unknown connector \"{connector}\""))?;
    if let Some((key, _)) = values.iter().find(|(k, v)| secret_looking(k, v)) {
        return Err(format!(
            "\"{key}\" in {place} looks like a secret, and a policy file must never hold one (each machine enters the Client Secret into its keychain)"
        ));
    }
    let input = EntryInput { connector: connector.to_string(), auth_type, values, secret: None };
    // A legacy entry's secret is entered per machine, so its absence here is fine.
    let valid = validate_entry(manifest, &input, true).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        format!("its {place} entry is invalid ({})", list.join("; "))
    })?;
    Ok(LibraryEntry { auth_type: valid.auth_type, values: valid.values, has_secret: false, updated_at: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::registration::AuthKind;

    const ENTRA: &str = r#"{ "version": 1, "connectors": { "azure-devops": {
        "auth_type": "entra", "client_id": "4c6f5a0e-8f2a-4d4b-9f7e-1a2b3c4d5e6f",
        "tenant_id": "organizations", "scopes": "Work items (full)" } } }"#;

    /// At the system location a file must be root's: one owned by anyone else (here a
    /// file given to `nobody` when the tests run as root, else the tester's own) is refused,
    /// and a root-owned 0644 file such as /etc/passwd is trusted. Elsewhere (where the variable
    /// points) the same file loads.
    #[cfg(unix)]
    #[test]
    fn a_system_policy_file_owned_by_someone_else_is_refused() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(&path, ENTRA).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        if std::fs::metadata(&path).unwrap().uid() == 0 {
            std::os::unix::fs::chown(&path, Some(65_534), None).unwrap();
        }
        let theirs = std::fs::symlink_metadata(&path).unwrap();
        assert_ne!(theirs.uid(), 0);
        assert_eq!(untrusted_at(&theirs, true).as_deref(), Some("it is not owned by root"));
        assert_eq!(untrusted_at(&theirs, false), None, "elsewhere (the variable, without a system file) the owner may be anyone");
        let (policy, notice) = Policy::load(&path);
        assert!(notice.is_none() && policy.entries.len() == 1, "a file off the system location loads: {notice:?}");
        let roots = std::fs::symlink_metadata("/etc/passwd").unwrap();
        assert_eq!((roots.uid(), untrusted_at(&roots, true)), (0, None));
    }

    /// A file of exactly the size bound is a policy; one byte more is not. And a path that
    /// can't be read for another reason than "no such file" says so instead of passing silently.
    #[cfg(unix)]
    #[test]
    fn the_size_bound_is_inclusive_and_an_unreadable_path_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        let padded = |len: usize| format!("{ENTRA}{}", " ".repeat(len - ENTRA.len()));
        for (len, loads) in [(MAX_POLICY_BYTES as usize, true), (MAX_POLICY_BYTES as usize + 1, false)] {
            std::fs::write(&path, padded(len)).unwrap();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
            let (policy, notice) = Policy::load(&path);
            assert_eq!((policy.entries.len(), notice.is_none()), (usize::from(loads), loads), "{len} bytes: {notice:?}");
        }
        // A regular file where a folder should be: ENOTDIR, not NotFound.
        let (_, notice) = Policy::load(&path.join("policy.json"));
        assert!(notice.expect("a notice").message.contains("could not be read"));
    }

    #[test]
    fn a_valid_policy_gives_a_managed_normalized_entry() {
        let entries = Policy::parse(ENTRA).unwrap();
        let e = &entries["azure-devops"];
        assert_eq!(e.auth_type, AuthKind::Entra);
        assert_eq!(e.values["scopes"], "vso.work_full");
    }

    #[test]
    fn a_secret_looking_field_is_refused_with_a_clear_error() {
        let with_secret = ENTRA.replace(r#""tenant_id""#, r#""client_secret": "abc", "tenant_id""#);
        assert!(Policy::parse(&with_secret).unwrap_err().contains("\"client_secret\" in azure-devops looks like a secret"));
        let jwt = ENTRA.replace("organizations", "eyJhbGciOi.eyJzdWIi.sig");
        assert!(Policy::parse(&jwt).unwrap_err().contains("looks like a secret"));
    }

    #[test]
    fn desktop_notifications_are_turned_off_only_by_an_explicit_false() {
        let off = r#"{ "version": 1, "desktop_notifications": false }"#;
        assert_eq!(Policy::parse_file(off).map(|(_, off)| off), Ok(true));
        let on = r#"{ "version": 1, "desktop_notifications": true }"#;
        assert_eq!(Policy::parse_file(on).map(|(_, off)| off), Ok(false));
        assert_eq!(Policy::parse_file(ENTRA).map(|(_, off)| off), Ok(false), "no key: the user's setting decides");
        let wrong = r#"{ "version": 1, "desktop_notifications": "no" }"#;
        assert!(Policy::parse_file(wrong).unwrap_err().contains("not a valid policy file"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(&path, off).unwrap();
        #[cfg(unix)]
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        let (policy, notice) = Policy::load(&path);
        assert!(notice.is_none(), "{notice:?}");
        assert!(policy.notifications_off);
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        assert!(Policy::parse("{").unwrap_err().contains("not a valid policy file"));
        assert!(Policy::parse(r#"{"version": 2}"#).unwrap_err().contains("version is 2"));
        assert!(Policy::parse(&ENTRA.replace("organizations", "not a tenant!")).unwrap_err().contains("tenant_id"));
        assert!(Policy::parse(&ENTRA.replace("azure-devops", "jira")).unwrap_err().contains("unknown connector"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        let (policy, notice) = Policy::load(&path);
        assert!(notice.is_none(), "no file, no notice");
        assert_eq!(policy.path, path, "a policy names the file it is read from, also when there is none");
        std::fs::write(&path, "{").unwrap();
        let (policy, notice) = Policy::load(&path);
        assert!(policy.entries.is_empty());
        assert_eq!(notice.unwrap().code, NoticeCode::PolicyIgnored);
    }
}
