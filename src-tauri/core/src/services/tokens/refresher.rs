//! Proactive refresh: one task for the life of the app that refreshes whatever is due,
//! sleeping until the next installation is (a new sign-in wakes it), never polling.

use std::sync::Arc;
use std::time::Duration;

use super::timing::{is_due, refresh_margin};
use super::{Ask, Seen, Status, Tokens, MAX_REFRESHER_SLEEP};
use crate::model::installation::InstallationId;
use crate::store::settings::now_secs;

impl Tokens {
    /// Refreshes every installation that is due (proactive refresh). Returns how many were tried.
    pub async fn refresh_due(self: &Arc<Self>) -> usize {
        let now = now_secs();
        let due: Vec<(InstallationId, Seen)> = self
            .state
            .settings
            .get()
            .installations
            .iter()
            // Another endpoint's installations are left alone: never refreshed, never marked.
            .filter(|i| i.needs_reauth.is_none() && is_due(i, now) && self.same_endpoint(i).is_ok())
            .filter(|i| match self.status_of(i) {
                Status::Error { retry_at, .. } => retry_at <= now,
                Status::NeedsReauth { .. } => false,
                _ => true,
            })
            .filter(|i| self.flight(&i.id).lock.try_lock().is_ok())
            .map(|i| (i.id.clone(), Seen::of(i)))
            .collect();
        let mut set = tokio::task::JoinSet::new();
        for (id, seen) in &due {
            let (me, id, seen) = (self.clone(), id.clone(), *seen);
            set.spawn(async move { me.refresh_since(&id, seen, Ask::Plain).await });
        }
        while set.join_next().await.is_some() {}
        due.len()
    }

    /// How long until the next installation is due (or its retry time comes).
    pub fn next_due_in(&self, now: u64) -> Duration {
        let next = self
            .state
            .settings
            .get()
            .installations
            .iter()
            .filter(|i| i.needs_reauth.is_none())
            .filter_map(|i| match self.status_of(i) {
                Status::NeedsReauth { .. } => None,
                Status::Error { retry_at, .. } => Some(retry_at),
                _ => Some(i.access_expires_at.saturating_sub(refresh_margin(i.access_lifetime_secs))),
            })
            .min();
        next.map_or(MAX_REFRESHER_SLEEP, |at| Duration::from_secs(at.saturating_sub(now)).min(MAX_REFRESHER_SLEEP))
    }

    /// Runs proactive refresh for the life of the app: sleeps until the next
    /// installation is due (a new sign-in wakes it), never polls every second.
    pub fn start_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                me.refresh_due().await;
                let wait = me.next_due_in(now_secs()).max(Duration::from_secs(1));
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = me.wake.notified() => {}
                }
            }
        })
    }
}
