//! The command line, for the user's own tools: `list`, `token` and a Git credential
//! helper. Two programs run it: `connector-console-cli`, which links no GUI library and
//! starts like a command line (the one for scripts, Git and Windows consoles), and the
//! window's `connector-console` given a subcommand. It opens no window; it shares the data
//! directory and the keychain with the window, and refreshes through the same lock files,
//! so any number of runs and the window can ask at once.
//!
//! Exit codes: 0 done; 1 an error; 2 the selection (or the command line) is
//! wrong; 3 the installation needs re-authentication; 4 the keychain can't be used.

mod git_credential;
mod list;
mod select;
mod stop;
mod token;

use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use connector_core::microsoft::endpoints::{Endpoints, OVERRIDE_VAR};
use connector_core::model::connectors::AuthKind;
use connector_core::model::installation::Installation;
use connector_core::store::{keychain, paths};
use connector_core::{Error, Services};

pub const EXIT_ERROR: i32 = 1;
pub const EXIT_SELECTION: i32 = 2;
pub const EXIT_NEEDS_REAUTH: i32 = 3;
pub const EXIT_KEYCHAIN: i32 = 4;

/// Which program runs the command line; its name goes into the help and the messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Program {
    /// `connector-console`: without a subcommand it opens the window.
    Window,
    /// `connector-console-cli`: the command line alone (a console program on Windows).
    Companion,
}

impl Program {
    pub fn name(self) -> &'static str {
        match self {
            Self::Window => "connector-console",
            Self::Companion => "connector-console-cli",
        }
    }

    fn without_subcommand(self) -> &'static str {
        match self {
            Self::Window => "Without a subcommand, opens the Connector Console window.",
            Self::Companion => "The same commands as `connector-console <subcommand>`, in a program that loads no window libraries: quicker to start, and on Windows a console program that prints to PowerShell and cmd.",
        }
    }
}

const EXIT_CODES: &str = "Exit codes: 0 done, 1 error, 2 wrong selection or usage, 3 needs re-authentication (open Connector Console to sign in again), 4 the OS keychain can't be used.";

#[derive(Parser)]
#[command(version, about = "Connector Console: Azure DevOps connector installations, from the desktop and from scripts.")]
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
        long_about = "Prints a valid access token for one installation on stdout, and nothing else, refreshing it first when it is due.\n\nTHE OUTPUT IS A SECRET: it grants the installation's access to Azure DevOps. Pipe it into the tool that needs it (for example `curl -H \"Authorization: Bearer $(connector-console-cli token --org contoso)\"`); don't log it, store it or pass it as a command-line argument where other users can see it.\n\nWith no selection, the only installation is used. Several matches: exit code 2 and the choices. Needs re-authentication: exit code 3."
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
        /// Azure DevOps answered the last token with a Continuous Access Evaluation claims
        /// challenge: its `claims="…"` value. A new token that answers it is asked for silently
        /// first; exit code 3 when Microsoft wants a sign-in.
        #[arg(long, value_name = "BASE64")]
        claims: Option<String>,
    },
    /// Git credential helper for https://dev.azure.com and https://<org>.visualstudio.com.
    #[command(
        long_about = "Git credential helper (the protocol of git-credential(1) on stdin/stdout). For https://dev.azure.com/<org>/… and https://<org>.visualstudio.com it answers with the token of that organization's installation; for anything else it answers nothing, so Git asks its other helpers. store and erase never write anything.\n\n  git config --global credential.https://dev.azure.com.helper \"!connector-console-cli git-credential\"\n  git config --global credential.https://dev.azure.com.useHttpPath true"
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

/// Runs the subcommand on this process's command line and returns the exit code.
/// Usage errors, `--help` and `--version` print and exit here, as clap does.
pub fn run(program: Program) -> i32 {
    let name = program.name();
    let command = Cli::command()
        .name(name)
        .bin_name(name)
        .long_about(format!("{}\n\n{EXIT_CODES}", program.without_subcommand()))
        .arg_required_else_help(true);
    let cli = Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit());
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(program, &Error::Internal { detail: e.to_string() }),
    };
    let code = runtime.block_on(run_command(program, cli.command));
    // A keychain call stuck on an unlock prompt must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

async fn run_command(program: Program, command: Command) -> i32 {
    let services = match open(program) {
        Ok(s) => s,
        Err(e) => return fail(program, &e),
    };
    let work = async {
        match command {
            Command::List { json } => list::run(&services, json),
            Command::Token { org, project, installation, json, claims } => {
                token::run(&services, &select::Selection { org, project, installation }, json, claims).await
            }
            Command::GitCredential { action: GitAction::Get } => git_credential::get(&services).await,
            // Tokens come from the keychain and are refreshed here; Git must not store or erase them.
            Command::GitCredential { action: GitAction::Store | GitAction::Erase } => git_credential::ignore_input(),
        }
    };
    // Asked to stop (a cancelled `git fetch`, a logout, Ctrl+C): the command ends, not the
    // process, so the tokens below are still saved.
    let outcome = tokio::select! {
        outcome = work => outcome,
        () = stop::requested() => Err(Error::Cancelled),
    };
    let code = match outcome {
        Ok(()) => 0,
        Err(e) => fail(program, &e),
    };
    // New tokens the keychain refused die with this process: one more try, then say what is lost.
    let unsaved = services.tokens.save_pending().await;
    for (i, e) in &unsaved {
        eprintln!("{}: {}", program.name(), lost_tokens(i, e));
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
        "new tokens for {}/{} could not be saved to the keychain ({e}) and are lost as this command exits; {consequence}.\n  {} Then, if Connector Console says so: Installations → Re-authenticate.",
        i.organization,
        i.project,
        e.hint()
    )
}

/// A locked keyring waits for an unlock prompt that a script can't answer: give up after this.
const KEYCHAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Another process holding the installation (a refresh, or a keychain prompt in the window)
/// is waited on this long, not the window's minutes: Git and scripts must not hang. The
/// `busy` error then says which process holds it (exit 4).
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(25);

fn open(program: Program) -> Result<Services, Error> {
    let dir = paths::data_dir()
        .ok_or_else(|| Error::Internal { detail: "the OS gives no data directory; set CONNECTOR_CONSOLE_DATA_DIR".into() })?;
    let endpoints = Endpoints::from_env()?;
    // Said every time: an override decides where tokens go (only installations made
    // against it are served), and it must never be active unnoticed.
    if let Some(base) = &endpoints.overridden_by {
        eprintln!(
            "{}: Microsoft endpoints are overridden ({OVERRIDE_VAR}={base}); only installations made against it are used.",
            program.name()
        );
    }
    let services = Services::with_store_opener(dir, endpoints, Arc::new(keychain::open_platform_store_for_one_run));
    services.state.set_keychain_timeout(KEYCHAIN_TIMEOUT);
    services.state.set_lock_wait(LOCK_WAIT);
    Ok(services)
}

/// What went wrong on stderr, and the exit code for it.
fn fail(program: Program, e: &Error) -> i32 {
    let (hint, code) = match e {
        Error::NeedsReauth { .. } | Error::CredentialsMissing => {
            ("Open Connector Console to sign in again (Installations → Re-authenticate).".to_string(), EXIT_NEEDS_REAUTH)
        }
        // Busy: another process holds the installation, most likely waiting on the keychain.
        Error::KeychainUnavailable { .. } | Error::KeychainCorrupt { .. } | Error::Busy { .. } => (e.hint(), EXIT_KEYCHAIN),
        Error::NoInstallation { .. } | Error::AmbiguousInstallation { .. } => (e.hint(), EXIT_SELECTION),
        _ => (e.hint(), EXIT_ERROR),
    };
    eprintln!("{}: {e}\n  {hint}", program.name());
    code
}
