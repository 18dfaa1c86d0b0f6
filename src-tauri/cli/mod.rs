//! The same binary as a command line, for the user's own tools: `list`,
//! `token` and a Git credential helper. Started with a subcommand it opens no
//! window; it shares the data directory and the keychain with the window, and
//! refreshes through the same lock files, so any number of runs and the window
//! can ask at once.
//!
//! Exit codes: 0 done; 1 an error; 2 the selection (or the command line) is
//! wrong; 3 the installation needs re-authentication; 4 the keychain can't be used.

mod git_credential;
mod list;
mod select;
mod token;

use clap::{Parser, Subcommand, ValueEnum};
use connector_core::microsoft::endpoints::{Endpoints, OVERRIDE_VAR};
use connector_core::model::connectors::AuthKind;
use connector_core::model::installation::Installation;
use connector_core::{Error, Services};

pub const EXIT_ERROR: i32 = 1;
pub const EXIT_SELECTION: i32 = 2;
pub const EXIT_NEEDS_REAUTH: i32 = 3;
pub const EXIT_KEYCHAIN: i32 = 4;

#[derive(Parser)]
#[command(
    name = "connector-console",
    version,
    about = "Connector Console: Azure DevOps connector installations, from the desktop and from scripts.",
    long_about = "Without a subcommand, opens the Connector Console window.\n\nExit codes: 0 done, 1 error, 2 wrong selection or usage, 3 needs re-authentication (open Connector Console to sign in again), 4 the OS keychain can't be used."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lists installations: organization / project, user, auth type, status, token expiry.
    List {
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Prints a valid access token for one installation on stdout (refreshing it first when due).
    #[command(
        long_about = "Prints a valid access token for one installation on stdout, and nothing else, refreshing it first when it is due.\n\nTHE OUTPUT IS A SECRET: it grants the installation's access to Azure DevOps. Pipe it into the tool that needs it (for example `curl -H \"Authorization: Bearer $(connector-console token --org contoso)\"`); don't log it, store it or pass it as a command-line argument where other users can see it.\n\nWith no selection, the only installation is used. Several matches: exit code 2 and the choices. Needs re-authentication: exit code 3."
    )]
    Token {
        /// The organization (as in https://dev.azure.com/<organization>).
        #[arg(long)]
        org: Option<String>,
        /// The project name.
        #[arg(long)]
        project: Option<String>,
        /// The installation id (see `list`).
        #[arg(long)]
        installation: Option<String>,
        /// Print {access_token, expires_at, scopes, token_type} as JSON (still a secret).
        #[arg(long)]
        json: bool,
    },
    /// Git credential helper for https://dev.azure.com and https://<org>.visualstudio.com.
    #[command(
        long_about = "Git credential helper (the protocol of git-credential(1) on stdin/stdout). For https://dev.azure.com/<org>/… and https://<org>.visualstudio.com it answers with the token of that organization's installation; for anything else it answers nothing, so Git asks its other helpers. store and erase never write anything.\n\n  git config --global credential.https://dev.azure.com.helper \"!connector-console git-credential\"\n  git config --global credential.https://dev.azure.com.useHttpPath true"
    )]
    GitCredential {
        #[arg(value_enum)]
        action: GitAction,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GitAction {
    Get,
    Store,
    Erase,
}

/// Runs the command line when the process was started with arguments;
/// `None` means: open the window.
pub fn run_if_command() -> Option<i32> {
    if std::env::args_os().len() <= 1 {
        return None;
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return Some(fail(&Error::Internal { detail: e.to_string() })),
    };
    let code = runtime.block_on(run(cli.command));
    // A keychain call stuck on an unlock prompt must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    Some(code)
}

async fn run(command: Command) -> i32 {
    let services = match open() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let outcome = match command {
        Command::List { json } => list::run(&services, json),
        Command::Token { org, project, installation, json } => {
            token::run(&services, &select::Selection { org, project, installation }, json).await
        }
        Command::GitCredential { action: GitAction::Get } => git_credential::get(&services).await,
        // Tokens come from the keychain and are refreshed here; Git must not store or erase them.
        Command::GitCredential { action: GitAction::Store | GitAction::Erase } => git_credential::ignore_input(),
    };
    let code = match outcome {
        Ok(()) => 0,
        Err(e) => fail(&e),
    };
    // New tokens the keychain refused die with this process: one more try, then say what is lost.
    let unsaved = services.tokens.save_pending().await;
    for (i, e) in &unsaved {
        eprintln!("{}", lost_tokens(i, e));
    }
    if unsaved.is_empty() {
        code
    } else {
        EXIT_KEYCHAIN
    }
}

/// What is lost when rotated tokens can't be saved before the process exits, and what to do.
fn lost_tokens(i: &Installation, e: &Error) -> String {
    // Legacy refresh tokens are treated as single-use; Entra doesn't revoke one on use.
    let consequence = match i.auth_type {
        AuthKind::Legacy => "the previous refresh token was spent on them, so this installation will likely need signing in again",
        AuthKind::Entra => "Microsoft Entra keeps the previous refresh token valid, so the next run refreshes with it",
    };
    format!(
        "connector-console: new tokens for {}/{} could not be saved to the keychain ({e}) and are lost as this command exits; {consequence}.\n  {} Then, if Connector Console says so: Installations → Re-authenticate.",
        i.organization,
        i.project,
        e.hint()
    )
}

/// A locked keyring waits for an unlock prompt that a script can't answer: give up after this.
const KEYCHAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

fn open() -> Result<Services, Error> {
    let dir = crate::paths::data_dir()
        .ok_or_else(|| Error::Internal { detail: "the OS gives no data directory; set CONNECTOR_CONSOLE_DATA_DIR".into() })?;
    let endpoints = Endpoints::from_env()?;
    // Said every time: an override decides where tokens go (only installations made
    // against it are served), and it must never be active unnoticed.
    if let Some(base) = &endpoints.overridden_by {
        eprintln!(
            "connector-console: Microsoft endpoints are overridden ({OVERRIDE_VAR}={base}); only installations made against it are used."
        );
    }
    let services = Services::open(dir, endpoints);
    services.state.set_keychain_timeout(KEYCHAIN_TIMEOUT);
    Ok(services)
}

/// What went wrong on stderr, and the exit code for it.
fn fail(e: &Error) -> i32 {
    let (hint, code) = match e {
        Error::NeedsReauth { .. } | Error::CredentialsMissing => {
            ("Open Connector Console to sign in again (Installations → Re-authenticate).".to_string(), EXIT_NEEDS_REAUTH)
        }
        // Busy: another process holds the installation, most likely waiting on the keychain.
        Error::KeychainUnavailable { .. } | Error::KeychainCorrupt { .. } | Error::Busy { .. } => (e.hint(), EXIT_KEYCHAIN),
        Error::NoInstallation { .. } | Error::AmbiguousInstallation { .. } => (e.hint(), EXIT_SELECTION),
        _ => (e.hint(), EXIT_ERROR),
    };
    eprintln!("connector-console: {e}\n  {hint}");
    code
}
