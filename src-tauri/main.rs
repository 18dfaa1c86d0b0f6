// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // A subcommand runs the command line and never opens a window.
    if let Some(code) = connector_console::cli::run_if_command() {
        std::process::exit(code);
    }
    connector_console::run();
}
