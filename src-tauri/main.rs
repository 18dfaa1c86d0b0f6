// No console window on Windows release builds (the command line there is connector-console-cli).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // A subcommand runs the command line and never opens a window.
    if std::env::args_os().len() > 1 {
        std::process::exit(connector_cli::run(connector_cli::Program::Window));
    }
    connector_console::run();
}
