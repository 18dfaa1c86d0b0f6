//! Tauri commands, one file per area (the Library, installs and sign-in, methods, scopes, the
//! app itself, diagnostics). Each is a one-line call into a core
//! service; errors become `{code, message, hint}` here (`error.rs`) and nowhere else.
//! `list.rs` is the one list of commands: the handler below, and (in `build.rs`) the
//! permissions and the main window's capability.

#[macro_use]
mod list;

#[cfg(test)]
mod bindings;

pub mod diagnostics;
pub mod error;
pub mod installs;
pub mod library;
pub mod links;
pub mod methods;
pub mod notifications;
pub mod scopes;
pub mod system;

/// Expands the list into the invoke handler.
macro_rules! handler {
    ($($module:ident :: $name:ident),*) => {
        tauri::generate_handler![$($module::$name),*]
    };
}

/// The invoke handler: every command in `list.rs`, and no other.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    with_commands!(handler)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    macro_rules! names {
        ($($module:ident :: $name:ident),*) => {
            &[$(stringify!($name)),*]
        };
    }

    const LISTED: &[&str] = with_commands!(names);

    /// A command the UI calls but the list lacks fails only at run time ("not allowed");
    /// a listed command nothing calls is surface for no one.
    #[test]
    fn the_ui_calls_exactly_the_listed_commands() {
        let api = include_str!("../../ui/api.js");
        let called: BTreeSet<&str> = api.split("call('").skip(1).map(|rest| rest.split('\'').next().unwrap_or_default()).collect();
        let listed: BTreeSet<&str> = LISTED.iter().copied().collect();
        assert_eq!(listed.len(), LISTED.len(), "a command is listed twice");
        assert_eq!(called, listed, "ui/api.js and src-tauri/commands/list.rs name different commands");
    }

    #[test]
    fn the_main_window_may_call_every_listed_command() {
        let capability: serde_json::Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let allowed: BTreeSet<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(str::to_string))
            .collect();
        let listed: BTreeSet<String> = LISTED.iter().map(|name| name.replace('_', "-")).collect();
        assert_eq!(allowed, listed);
    }

    /// The data folder is named for the bundle identifier, which the core writes as a
    /// constant so the command line needs no Tauri; Tauri reads it from tauri.conf.json.
    #[test]
    fn the_core_names_the_bundle_identifier_of_tauri_conf() {
        let conf: serde_json::Value = serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"].as_str(), Some(connector_core::store::paths::IDENTIFIER));
    }
}
