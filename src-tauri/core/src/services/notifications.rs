//! Desktop notifications: when to tell the user, outside the window, that an installation
//! needs them. A background refresh ended in Needs re-auth, or the legacy Client Secret it
//! signs in with (the shared entry's or its own app's) expires within 14 days. At most one
//! a day per installation (remembered in the settings, so a restart doesn't repeat it), none
//! when the user turned them off or the organization's policy file did. The decision is
//! here; the shell only shows what it is handed.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast::{error::RecvError, Receiver};
use ts_rs::TS;

use super::context::Context;
use super::installations::Installations;
use super::tokens::{Status, StatusEvent};
use crate::error::Result;
use crate::model::installation::{AppSource, Installation, InstallationId};
use crate::store::settings::{now_secs, Settings};

/// At most one notification per installation in this time.
pub const QUIET_SECS: u64 = 24 * 60 * 60;

/// How often the Client Secrets' expiry dates are looked at.
pub const SECRET_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// What the desktop shows: which installation, what happened, what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub installation: InstallationId,
    pub title: String,
    pub body: String,
}

/// The "Desktop notifications" setting as the window shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct NotificationSetting {
    /// The user's choice (on by default).
    pub enabled: bool,
    /// The organization's policy file turned them off: the choice doesn't matter.
    pub off_by_policy: bool,
}

/// Why an installation is worth a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    NeedsReauth,
    SecretExpiring,
}

/// Which status changes count: Needs re-auth only (Refreshing, Connected and a transient
/// Error fix themselves or show in the window).
pub fn reason_of(status: &Status) -> Option<Reason> {
    matches!(status, Status::NeedsReauth { .. }).then_some(Reason::NeedsReauth)
}

/// Whether a notification about `installation` may go out now.
pub fn allowed(settings: &Settings, off_by_policy: bool, installation: &InstallationId, now: u64) -> bool {
    !off_by_policy
        && settings.desktop_notifications
        && settings.installation(installation).is_some()
        && settings.notified_at.get(installation).is_none_or(|&at| now.saturating_sub(at) >= QUIET_SECS)
}

/// The note for `installation` if one is allowed, remembering that it went out (and
/// forgetting installations that are gone).
fn take(settings: &mut Settings, off_by_policy: bool, installation: &InstallationId, reason: Reason, now: u64) -> Option<Note> {
    if !allowed(settings, off_by_policy, installation, now) {
        return None;
    }
    let note = note(settings.installation(installation)?, reason);
    let ids: Vec<InstallationId> = settings.installations.iter().map(|i| i.id.clone()).collect();
    settings.notified_at.retain(|id, _| ids.contains(id));
    settings.notified_at.insert(installation.clone(), now);
    Some(note)
}

fn note(i: &Installation, reason: Reason) -> Note {
    let which = format!("{} / {}", i.organization, i.project);
    let (title, body) = match (reason, i.source) {
        (Reason::NeedsReauth, _) => (
            format!("{which} needs a new sign-in"),
            format!("The connector for {which} can no longer refresh its sign-in. Open Connector Console, Installations, and choose Re-authenticate on its row."),
        ),
        (Reason::SecretExpiring, AppSource::Shared) => (
            format!("{which}: Client Secret expires soon"),
            format!("The Client Secret of the shared app {which} signs in with expires within 14 days. Add a new secret on the app's registration page and paste it into Rotate secret in Connector Console's Library."),
        ),
        (Reason::SecretExpiring, AppSource::Own) => (
            format!("{which}: Client Secret expires soon"),
            format!("The Client Secret of the app {which} signs in with expires within 14 days. Add a new secret on the app's registration page, then Re-authenticate it in Connector Console's Installations with the new secret."),
        ),
    };
    Note { installation: i.id.clone(), title, body }
}

pub struct Notifications {
    state: Arc<Context>,
    installations: Arc<Installations>,
}

impl Notifications {
    pub fn new(state: Arc<Context>, installations: Arc<Installations>) -> Self {
        Self { state, installations }
    }

    pub fn setting(&self) -> NotificationSetting {
        NotificationSetting {
            enabled: self.state.settings.get().desktop_notifications,
            off_by_policy: self.state.notifications_off_by_policy(),
        }
    }

    pub fn set_enabled(&self, enabled: bool) -> Result<()> {
        self.state.settings.update(|s| {
            s.desktop_notifications = enabled;
            Ok(())
        })
    }

    /// The note about `installation`, if one may go out now; it is then remembered.
    pub fn claim(&self, installation: &InstallationId, reason: Reason, now: u64) -> Result<Option<Note>> {
        let off = self.state.notifications_off_by_policy();
        // Most calls change nothing: decided on the copy in memory, no write.
        if !allowed(&self.state.settings.get(), off, installation, now) {
            return Ok(None);
        }
        self.state.settings.update(|s| Ok(take(s, off, installation, reason, now)))
    }

    /// The notes due now for Client Secrets expiring within 14 days.
    pub fn expiring_secrets(&self, now: u64) -> Vec<Note> {
        let settings = self.state.settings.get();
        let expiring = settings.installations.iter().filter(|i| self.installations.secret_warning(i).is_some());
        expiring.filter_map(|i| self.claim_logged(&i.id, Reason::SecretExpiring, now)).collect()
    }

    fn claim_logged(&self, installation: &InstallationId, reason: Reason, now: u64) -> Option<Note> {
        self.claim(installation, reason, now)
            .inspect_err(|e| tracing::warn!(installation = installation.as_str(), error = %e, "no desktop notification: the settings could not be saved"))
            .ok()
            .flatten()
    }

    /// For the life of the app: every status change from `events` and, every hour, the
    /// Client Secrets' dates; each note due goes to `deliver`.
    pub async fn run(self: Arc<Self>, mut events: Receiver<StatusEvent>, deliver: impl Fn(Note)) {
        let mut secrets = tokio::time::interval(SECRET_CHECK_EVERY);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Ok(event) => {
                        if let Some(reason) = reason_of(&event.status) {
                            self.claim_logged(&event.installation, reason, now_secs()).into_iter().for_each(&deliver);
                        }
                    }
                    // Missed events are missed notifications, nothing worse: the window shows the status.
                    Err(RecvError::Lagged(missed)) => tracing::debug!(missed, "notification listener fell behind"),
                    Err(RecvError::Closed) => return,
                },
                _ = secrets.tick() => self.expiring_secrets(now_secs()).into_iter().for_each(&deliver),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = QUIET_SECS;

    fn id(text: &str) -> InstallationId {
        InstallationId::parse(text).unwrap()
    }

    fn settings() -> Settings {
        let i: Installation = serde_json::from_value(serde_json::json!({
            "id": "i1", "connector": "azure-devops", "organization": "contoso", "project": "Website",
            "project_id": "p1", "auth_type": "legacy", "source": "shared", "scopes": "vso.work",
            "user": { "display_name": "Ann", "email": "ann@contoso.com", "id": "u1" },
            "access_expires_at": 0, "last_refreshed_at": null, "created_at": 0
        }))
        .unwrap();
        Settings { installations: vec![i], ..Settings::default() }
    }

    #[test]
    fn only_needs_reauth_counts() {
        assert_eq!(reason_of(&Status::NeedsReauth { reason: "revoked".into() }), Some(Reason::NeedsReauth));
        assert_eq!(reason_of(&Status::Connected), None);
        assert_eq!(reason_of(&Status::Refreshing), None);
        assert_eq!(reason_of(&Status::Error { reason: "offline".into(), retry_at: 0 }), None);
    }

    #[test]
    fn at_most_one_a_day_per_installation() {
        let mut s = settings();
        let first = take(&mut s, false, &id("i1"), Reason::NeedsReauth, 10 * DAY).unwrap();
        assert!(first.title.contains("contoso / Website") && first.body.contains("Re-authenticate"), "{first:?}");
        assert_eq!(s.notified_at[&id("i1")], 10 * DAY, "remembered in the settings");
        assert_eq!(take(&mut s, false, &id("i1"), Reason::NeedsReauth, 10 * DAY + 60), None);
        assert_eq!(take(&mut s, false, &id("i1"), Reason::SecretExpiring, 11 * DAY - 1), None, "whatever the reason");
        let next_day = take(&mut s, false, &id("i1"), Reason::SecretExpiring, 11 * DAY).unwrap();
        assert!(next_day.body.contains("Rotate secret"), "{next_day:?}");
        // A restart reads the same settings: still quiet.
        let reread: Settings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert!(!allowed(&reread, false, &id("i1"), 11 * DAY + 1));
    }

    #[test]
    fn the_setting_and_the_policy_turn_them_off() {
        let mut s = settings();
        assert!(s.desktop_notifications, "on by default");
        assert!(!allowed(&s, true, &id("i1"), DAY), "the policy file says no");
        s.desktop_notifications = false;
        assert_eq!(take(&mut s, false, &id("i1"), Reason::NeedsReauth, DAY), None);
        assert!(s.notified_at.is_empty(), "nothing remembered when nothing went out");
        let reread: Settings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert!(!reread.desktop_notifications, "off is kept across a restart");
        let old: Settings = serde_json::from_str(r#"{"version": 1}"#).unwrap();
        assert!(old.desktop_notifications, "a file from before the setting: on");
    }

    #[test]
    fn gone_installations_get_none_and_are_forgotten() {
        let mut s = settings();
        assert!(!allowed(&s, false, &id("gone"), DAY));
        s.notified_at.insert(id("gone"), DAY);
        take(&mut s, false, &id("i1"), Reason::NeedsReauth, DAY).unwrap();
        assert_eq!(s.notified_at.keys().map(InstallationId::as_str).collect::<Vec<_>>(), ["i1"]);
    }
}
