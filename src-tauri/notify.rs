//! Shows the core's desktop notifications (services/notifications.rs decides which). Linux:
//! org.freedesktop.Notifications on the session bus, through libdbus, which the app already
//! links for the Secret Service keyring. Elsewhere nothing is shown yet (docs/known-limits.md).

use connector_core::services::notifications::Note;

/// Shows `note` without holding up the caller (a D-Bus call may wait on a slow server).
pub fn show(note: Note) {
    std::thread::spawn(move || {
        if let Err(e) = deliver(&note) {
            tracing::warn!(installation = %note.installation, error = %e, "the desktop notification could not be shown");
        } else {
            tracing::info!(installation = %note.installation, "desktop notification shown");
        }
    });
}

#[cfg(target_os = "linux")]
fn deliver(note: &Note) -> Result<(), String> {
    use std::collections::HashMap;
    use std::time::Duration;

    use dbus::arg::{PropMap, RefArg, Variant};
    use dbus::blocking::Connection;

    let bus = Connection::new_session().map_err(|e| format!("no session bus: {e}"))?;
    let server = bus.with_proxy("org.freedesktop.Notifications", "/org/freedesktop/Notifications", Duration::from_secs(5));
    // Urgency "normal"; the desktop decides how long it stays (-1).
    let mut hints: PropMap = HashMap::new();
    hints.insert("urgency".into(), Variant(Box::new(1u8) as Box<dyn RefArg>));
    let actions: Vec<String> = Vec::new();
    let (_id,): (u32,) = server
        .method_call(
            "org.freedesktop.Notifications",
            "Notify",
            ("Connector Console", 0u32, "dialog-warning", note.title.as_str(), note.body.as_str(), actions, hints, -1i32),
        )
        .map_err(|e| format!("Notify failed: {e}"))?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn deliver(note: &Note) -> Result<(), String> {
    tracing::debug!(installation = %note.installation, title = %note.title, "desktop notifications are shown on Linux only");
    Ok(())
}
