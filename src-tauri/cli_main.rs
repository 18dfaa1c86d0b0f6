//! `connector-console-cli`: the command line alone. It links the core and no GUI library,
//! so it starts like a command line (it runs on every `git fetch` once it is Git's
//! credential helper), and on Windows it is a console program, so `list` and `token`
//! print in PowerShell and cmd. `connector-console <subcommand>` runs the same code.

fn main() {
    std::process::exit(connector_cli::run(connector_cli::Program::Companion));
}
