//! Install links reach the window two ways: as the first launch's argument, and handed over
//! by a later launch (single_instance.rs). Either way the link waits here, unparsed, until
//! the page takes it (`install_link_take`, which parses it once in the core): the page may
//! not be listening yet on a first launch, and a later link replaces one not yet taken.

use std::sync::Mutex;

use connector_core::sync::lock;
use tauri::{AppHandle, Emitter, Manager};

/// The link the page has not taken yet.
#[derive(Default)]
pub struct PendingLink(Mutex<Option<String>>);

impl PendingLink {
    pub fn new(link: Option<String>) -> Self {
        Self(Mutex::new(link))
    }

    pub fn take(&self) -> Option<String> {
        lock(&self.0).take()
    }

    fn put(&self, link: String) {
        *lock(&self.0) = Some(link);
    }
}

/// A later launch's link: kept, then the page is told to take it. The link itself is never
/// logged (a partner may have put a secret in it, which the parse then refuses).
pub fn deliver(app: &AppHandle, link: String) {
    tracing::info!("a second launch handed over an install link");
    app.state::<PendingLink>().put(link);
    let _ = app.emit_to("main", "install-link", ());
}
