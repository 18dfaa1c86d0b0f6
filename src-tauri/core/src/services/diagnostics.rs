//! A diagnostics bundle to attach to a support request: versions, the
//! keychain's self-test, endpoints, each installation's status, the settings
//! version and the last log lines, with every secret, token, code, email and
//! user id redacted. Written to one new file, never over an existing one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::ids::is_guid;
use crate::services::context::Context;
use crate::services::tokens::{Status, Tokens};
use crate::store::settings::SETTINGS_VERSION;

/// How many of the log's last lines go in.
pub const LOG_LINES: usize = 500;

/// What the shell knows that the core doesn't.
pub struct Environment {
    pub os: String,
    pub webview: String,
    pub log_file: PathBuf,
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~+/=".contains(c)
}

/// Replaces what could identify a person or grant access: emails, GUIDs (user,
/// tenant and client ids), and any long opaque string (tokens, codes, secrets).
pub fn redact(text: &str) -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
    redact_for(text, &user)
}

/// `redact`, also hiding the OS user name wherever it is a path segment (the data
/// folder is logged at every start: /home/dana/…, C:\Users\dana\…).
fn redact_for(text: &str, user: &str) -> String {
    let text = if user.chars().count() >= 2 {
        text.replace(&format!("/{user}/"), "/[user]/").replace(&format!("\\{user}\\"), "\\[user]\\")
    } else {
        text.to_string()
    };
    redact_words(&text)
}

fn redact_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // An e-mail, also percent-encoded in a URL ("dana%40contoso.com").
        if (word.contains('@') || word.to_ascii_lowercase().contains("%40")) && word.contains('.') {
            out.push_str("[email]");
        } else if is_guid(word.trim_matches(|c: char| !c.is_ascii_hexdigit())) {
            out.push_str("[id]");
        } else if word.len() >= 20 && word.chars().any(|c| c.is_ascii_digit()) && word.chars().any(|c| c.is_ascii_alphabetic()) {
            out.push_str("[redacted]");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_token_char(c) || c == '@' || c == '%' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn status_line(s: &Status) -> String {
    match s {
        Status::Connected => "connected".into(),
        Status::Refreshing => "refreshing".into(),
        Status::NeedsReauth { reason } => format!("needs re-auth ({reason})"),
        Status::Error { reason, retry_at } => format!("error, retry at {retry_at} ({reason})"),
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| format!("(the log could not be read: {e})\n"));
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The bundle's text, redacted.
pub async fn bundle(state: &Context, tokens: &Tokens, env: &Environment) -> String {
    let mut s = String::new();
    let about = state.about();
    let _ = writeln!(s, "Connector Console diagnostics");
    let _ = writeln!(s, "app: {} {}", about.name, about.version);
    let _ = writeln!(s, "os: {}", env.os);
    let _ = writeln!(s, "webview: {}", env.webview);
    let keychain = match state.keychain_check().await {
        Ok(()) => "self-test passed".to_string(),
        Err(e) => format!("{} ({})", e.code(), e),
    };
    let _ = writeln!(s, "keychain: {} backend, {keychain}", if cfg!(target_os = "linux") { "Secret Service" } else { "platform" });
    let e = state.endpoints();
    let _ = writeln!(s, "endpoints: vssps {}, login {}, devops {}, audit {}", e.vssps, e.login, e.devops, e.audit);
    let _ = writeln!(s, "endpoint override: {}", e.overridden_by.as_deref().unwrap_or("none"));
    let settings = state.settings.get();
    let _ = writeln!(
        s,
        "settings: version {} (this app writes {SETTINGS_VERSION}), {} installations",
        settings.version,
        settings.installations.len()
    );
    for n in state.notices() {
        let _ = writeln!(s, "notice: {:?}: {}", n.code, n.message);
    }
    for i in &settings.installations {
        let _ = writeln!(
            s,
            "installation {}: {} / {}, {} ({:?} app), scopes {}, expires {}, status {}",
            i.id,
            i.organization,
            i.project,
            i.auth_type,
            i.source,
            i.scopes,
            i.access_expires_at,
            status_line(&tokens.status_of(i))
        );
    }
    let _ = writeln!(s, "\nlast {LOG_LINES} log lines:\n{}", tail(&env.log_file, LOG_LINES));
    redact(&s)
}

/// Writes the bundle to a new file in `dir`; never overwrites one.
pub fn save(dir: &Path, text: &str) -> Result<PathBuf> {
    let stem = format!("connector-console-diagnostics-{}", crate::store::settings::now_secs());
    crate::store::new_file::create_new(dir, &stem, "txt", text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn emails_ids_and_tokens_are_redacted_and_words_kept() {
        let line = "user dana@contoso.com 6b1d3f1c-2c4a-4d53-9f2e-8a1b7c6d5e4f got eyJ0eXAiOiJKV1QiLCJhbGciOi.abc123 and code=Zx9Kq2LmN8pR4tV6wY1b in contoso / Website";
        let r = redact(line);
        assert!(!r.contains("dana@") && !r.contains("6b1d3f1c") && !r.contains("eyJ0eXAi") && !r.contains("Zx9Kq2"), "{r}");
        assert!(r.contains("contoso / Website") && r.contains("[email]") && r.contains("[id]"), "{r}");
    }

    #[test]
    fn the_os_user_name_and_percent_encoded_emails_are_redacted() {
        let r = super::redact_for("starting data_dir=/home/dana/.local/share/x me?login_hint=dana%40contoso.com", "dana");
        assert!(!r.contains("dana"), "{r}");
        assert!(r.contains("/home/[user]/") && r.contains("[email]"), "{r}");
        let w = super::redact_for(r"C:\Users\dana\AppData\Roaming\x", "dana");
        assert!(w.contains(r"\[user]\"), "{w}");
    }
}
