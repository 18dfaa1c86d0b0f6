/// Every app command, so each gets an `allow-<name>` permission and the main
/// window's capability must grant it by name. Nothing else can call them.
const COMMANDS: &[&str] = &[
    "app_info",
    "keychain_status",
    "scope_catalog",
    "scope_report",
    "library_list",
    "library_save",
    "library_clear",
    "library_export",
    "library_export_file",
    "library_import",
    "open_registration_page",
    "installations_list",
    "install_preflight",
    "sign_in",
    "sign_in_cancel",
    "installation_test",
    "installation_uninstall",
    "entra_embedded_set",
    "sign_in_timeout_get",
    "sign_in_timeout_set",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
