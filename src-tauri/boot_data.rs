//! What the main window's first screen needs, handed to the page with the page itself
//! (an initialization script, run before the page's own scripts): the app's version and
//! notices, the Connector Library's entries and how many installations there are (which
//! decides the first screen: the role choice, the Library or Installations). The first
//! screen then awaits no command for them; every command is answered on the GTK main
//! thread that also paints the window.
//! The keychain's status is not here: its check talks D-Bus, which must not hold up the
//! window, so the page asks for it (the check has started by then).

use connector_core::services::context::About;
use connector_core::services::library::ConnectorView;
use serde::Serialize;

#[derive(Serialize)]
struct Boot {
    about: About,
    connectors: Vec<ConnectorView>,
    installations: usize,
}

/// The script: one global the page's `api.js` reads once (a reload asks the core again,
/// since this snapshot is as old as the window).
pub fn script(about: About, connectors: Vec<ConnectorView>, installations: usize) -> String {
    // JSON is a JavaScript expression; nothing in it can end the statement early.
    match serde_json::to_string(&Boot { about, connectors, installations }) {
        Ok(json) => format!("window.__CONNECTOR_CONSOLE_BOOT__ = {json};"),
        // Nothing is lost without it: the page asks the commands instead.
        Err(e) => {
            tracing::warn!(error = %e, "the first screen's data could not be prepared");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connector_core::microsoft::endpoints::Endpoints;
    use connector_core::services::context::Context;

    #[test]
    fn the_script_sets_one_global_with_the_version_the_entries_and_the_count() {
        let dir = tempfile::tempdir().unwrap();
        let context = Context::open(dir.path(), Endpoints::microsoft());
        let script = script(context.about(), Vec::new(), 3);
        let json = script.strip_prefix("window.__CONNECTOR_CONSOLE_BOOT__ = ").and_then(|s| s.strip_suffix(';')).unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["about"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(value["connectors"], serde_json::json!([]));
        assert_eq!(value["installations"], 3);
    }
}
