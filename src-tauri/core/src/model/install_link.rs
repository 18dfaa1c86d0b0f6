//! Install links: `connector-console://install?connector=azure-devops&organization=contoso&project=Website`,
//! what a partner puts in an onboarding e-mail or wiki. The link opens the Install stepper
//! with these filled in, and does nothing more: it never signs in, and a link that carries
//! anything like a secret is refused whole, so its author learns that secrets don't travel
//! in links (a link ends up in mail archives, browser history and chat logs).
//!
//! Parsed here, once, into `InstallLink`; everything after works with the typed value.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{connectors, validate};

/// The URL scheme the packages register (the Linux desktop entry's `x-scheme-handler`).
pub const SCHEME: &str = "connector-console";
/// The one thing a link can ask for.
const ACTION: &str = "install";
/// Longer than any real link (a connector id, an organization of 50 and a project of 64
/// characters, even all percent-encoded); the single-instance hand-over sizes its line by it.
pub const MAX_LEN: usize = 2048;
/// Parameters whose name says "credential": the whole link is refused.
const SECRET_WORDS: &[&str] = &["secret", "token", "password", "passwd", "credential", "key", "assertion", "auth"];
const SECRET_NAMES: &[&str] = &["code", "pat", "pwd", "sig", "signature"];

/// What an install link fills in. Never a secret, never an instruction to sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InstallLink {
    /// A connector this app ships (`azure-devops`).
    pub connector: String,
    pub organization: Option<String>,
    pub project: Option<String>,
    /// Parameters a link can't set (say, tracking tags a mail service added): left out, and named on screen.
    pub ignored: Vec<String>,
}

/// Whether a command-line argument is an install link rather than a subcommand.
pub fn is_link(arg: &str) -> bool {
    arg.get(..SCHEME.len() + 1).is_some_and(|head| head.eq_ignore_ascii_case(&format!("{SCHEME}:")))
}

/// The link that opens Install for `connector` with nothing else filled in (the Library's "Copy install link").
pub fn for_connector(connector: &str) -> String {
    let mut url = url::Url::parse(&format!("{SCHEME}://{ACTION}")).expect("a constant URL");
    url.query_pairs_mut().append_pair("connector", connector);
    url.into()
}

fn refused(problem: impl Into<String>) -> Error {
    Error::invalid("Install link", problem)
}

fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('-', "_");
    SECRET_NAMES.contains(&name.as_str()) || SECRET_WORDS.iter().any(|w| name.contains(w))
}

impl InstallLink {
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_LEN {
            return Err(refused(format!("it is over {MAX_LEN} characters long, which no install link is")));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(refused("it contains spaces or line breaks; copy the whole link again"));
        }
        if !is_link(text) {
            return Err(refused(format!("it does not start with {SCHEME}://")));
        }
        let url = url::Url::parse(text).map_err(|e| refused(format!("it is not a valid link ({e})")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refused("it carries a user name or password, and a link never carries a secret"));
        }
        if url.host_str() != Some(ACTION) || !matches!(url.path(), "" | "/") || url.port().is_some() {
            return Err(refused(format!("it asks for something other than {SCHEME}://{ACTION}")));
        }
        if url.fragment().is_some() {
            return Err(refused("it has a #fragment, which install links don't use"));
        }
        Self::from_pairs(url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())))
    }

    fn from_pairs(pairs: impl Iterator<Item = (String, String)>) -> Result<Self> {
        let (mut connector, mut organization, mut project, mut ignored) = (None, None, None, Vec::new());
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "connector" => &mut connector,
                "organization" => &mut organization,
                "project" => &mut project,
                _ if looks_secret(&name) => {
                    return Err(refused(format!(
                        "it carries \"{name}\", and a link never carries a secret: sign in in the app instead. Nothing was filled in"
                    )))
                }
                _ => {
                    ignored.push(name);
                    continue;
                }
            };
            if slot.replace(value).is_some() {
                return Err(refused(format!("it gives \"{name}\" twice")));
            }
        }
        let connector = connector.filter(|c| !c.is_empty()).ok_or_else(|| refused("it names no connector (connector=azure-devops)"))?;
        if connectors::get(&connector).is_none() {
            let known: Vec<&str> = connectors::all().iter().map(|m| m.id.as_str()).collect();
            return Err(refused(format!("it names the connector \"{connector}\", which this app doesn't have ({})", known.join(", "))));
        }
        // An empty value fills nothing; a bad one refuses the link, with the field's own words.
        let check = |v: Option<String>, f: fn(&str) -> std::result::Result<String, String>| {
            v.filter(|v| !v.trim().is_empty()).map(|v| f(&v).map_err(refused)).transpose()
        };
        let organization = check(organization, validate::organization)?;
        let project = check(project, validate::project)?;
        ignored.sort();
        ignored.dedup();
        Ok(Self { connector, organization, project, ignored })
    }
}
