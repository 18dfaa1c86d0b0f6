//! Installation status as it happens: Connected, Refreshing, Needs re-auth, or
//! Error (retrying). Changes go out on a broadcast channel; a listener that
//! falls behind is told to resync instead of silently stopping.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;
use tokio::sync::broadcast::{self, error::RecvError};
use ts_rs::TS;

use crate::model::ids::InstallationId;
use crate::sync::lock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    Connected,
    Refreshing,
    NeedsReauth {
        reason: String,
    },
    /// A transient failure; the tokens are kept and a retry is scheduled.
    Error {
        reason: String,
        #[ts(type = "number")]
        retry_at: u64,
    },
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct StatusEvent {
    #[ts(as = "String")]
    pub installation: InstallationId,
    pub status: Status,
    #[ts(type = "number")]
    pub access_expires_at: u64,
    #[ts(type = "number | null")]
    pub last_refreshed_at: Option<u64>,
}

/// How many events a slow listener may fall behind before it must resync.
pub const CHANNEL_CAPACITY: usize = 1024;

/// Live statuses since start-up (the file remembers only Needs re-auth).
pub struct StatusBoard {
    statuses: Mutex<HashMap<InstallationId, Status>>,
    events: broadcast::Sender<StatusEvent>,
}

impl Default for StatusBoard {
    fn default() -> Self {
        Self { statuses: Mutex::default(), events: broadcast::channel(CHANNEL_CAPACITY).0 }
    }
}

impl StatusBoard {
    pub fn get(&self, id: &InstallationId) -> Option<Status> {
        lock(&self.statuses).get(id).cloned()
    }

    pub fn set(&self, event: StatusEvent) {
        lock(&self.statuses).insert(event.installation.clone(), event.status.clone());
        // Nobody listening is fine: the UI may not be open.
        let _ = self.events.send(event);
    }

    pub fn forget(&self, id: &InstallationId) {
        lock(&self.statuses).remove(id);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.events.subscribe()
    }
}

/// What a listener is handed.
#[derive(Debug)]
pub enum Update {
    Event(StatusEvent),
    /// Events were missed (a burst larger than the channel): re-read every status.
    Resync {
        missed: u64,
    },
}

/// Hands every status change to `deliver` until the board is dropped. A lag
/// is not the end: it becomes one `Resync`, and delivery goes on.
pub async fn forward(mut events: broadcast::Receiver<StatusEvent>, mut deliver: impl FnMut(Update)) {
    loop {
        match events.recv().await {
            Ok(event) => deliver(Update::Event(event)),
            Err(RecvError::Lagged(missed)) => {
                tracing::debug!(missed, "status listener fell behind; resyncing");
                deliver(Update::Resync { missed });
            }
            Err(RecvError::Closed) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize) -> StatusEvent {
        StatusEvent {
            installation: InstallationId::parse(&format!("i{n}")).unwrap(),
            status: Status::Refreshing,
            access_expires_at: 0,
            last_refreshed_at: None,
        }
    }

    #[tokio::test]
    async fn a_burst_larger_than_the_channel_resyncs_and_delivery_goes_on() {
        let board = StatusBoard::default();
        let rx = board.subscribe();
        // 1,000 installations refreshing at once: Refreshing + Connected each.
        for n in 0..2 * 1000 + 500 {
            board.set(event(n));
        }
        let (tx, mut got) = tokio::sync::mpsc::unbounded_channel();
        let listener = tokio::spawn(forward(rx, move |u| tx.send(u).unwrap()));
        let first = got.recv().await.unwrap();
        assert!(matches!(first, Update::Resync { missed } if missed == 2500 - CHANNEL_CAPACITY as u64), "{first:?}");
        for n in 2500 - CHANNEL_CAPACITY..2500 {
            assert!(matches!(got.recv().await.unwrap(), Update::Event(e) if e.installation.as_str() == format!("i{n}")));
        }
        // After the lag, later events still arrive: the listener never stopped.
        board.set(event(9999));
        assert!(matches!(got.recv().await.unwrap(), Update::Event(e) if e.installation.as_str() == "i9999"));
        drop(board);
        listener.await.unwrap();
        assert!(got.recv().await.is_none(), "the listener ends when the board goes away");
    }
}
