//! The one list of commands the main window may call, written out by hand.
//!
//! `build.rs` compiles this file as a module of its own and turns the list into an
//! `allow-<name>` permission each plus the main window's capability; `lib.rs` turns the
//! same list into the invoke handler. Adding a command means adding one line here.
//! A unit test in `commands/mod.rs` checks the list against `ui/api.js` both ways.

/// Calls `$then!` with every command, as `module::function` under `src-tauri/commands/`.
macro_rules! with_commands {
    ($then:ident) => {
        $then!(
            diagnostics::diagnostics_save,
            diagnostics::diagnostics_show_folder,
            installs::installations_list,
            installs::installations_secret_expired,
            installs::installation_test,
            installs::installation_uninstall,
            installs::install_preflight,
            installs::sign_in_timeout_get,
            installs::sign_in_timeout_set,
            installs::entra_embedded_set,
            notifications::notifications_get,
            notifications::notifications_set,
            installs::sign_in,
            installs::sign_in_cancel,
            installs::open_admin_consent,
            installs::migration_test_sign_in,
            library::library_list,
            library::library_save,
            library::library_save_secret,
            library::library_rotate_secret,
            library::library_redirect_uri,
            library::library_clear,
            library::library_export,
            library::library_export_file,
            library::library_import,
            library::open_registration_page,
            library::migration_guide,
            library::migration_prepare,
            library::migration_switch,
            library::migration_finish,
            links::install_link_take,
            methods::method_run,
            methods::method_cancel,
            scopes::scope_catalog,
            scopes::scope_report,
            system::app_info,
            system::keychain_status
        )
    };
}
