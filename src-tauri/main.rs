// No console window on Windows release builds (the command line there is connector-console-cli).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use connector_core::model::install_link;

fn main() {
    // An install link alone (the desktop's URL handler passes it) opens the window on it;
    // any other argument is a subcommand, which runs the command line and never opens a window.
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    match args.as_slice() {
        [] => connector_console::run(None),
        [arg] if arg.to_str().is_some_and(install_link::is_link) => connector_console::run(arg.to_str().map(String::from)),
        _ => std::process::exit(connector_cli::run(connector_cli::Program::Window)),
    }
}
