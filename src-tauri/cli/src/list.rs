//! `connector-console list`: the installations, as a table or as JSON.

use connector_core::model::installation::Installation;
use connector_core::model::registration::AuthKind;
use connector_core::services::tokens::Status;
use connector_core::store::settings::now_secs;
use connector_core::{Error, Services};
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    organization: &'a str,
    project: &'a str,
    user: &'a str,
    auth_type: &'a str,
    status: &'static str,
    needs_reauth: Option<&'a str>,
    access_expires_at: u64,
    scopes: String,
    /// Legacy: the flow is being retired; the Client Secret's expiry when it is near.
    notes: Vec<String>,
}

/// Legacy Azure DevOps OAuth is being retired by Microsoft in 2026.
const LEGACY_NOTE: &str = "legacy Azure DevOps OAuth, which Microsoft retires in 2026: move to Microsoft Entra ID (Connector Console, Move to Entra ID: what to register, then Re-authenticate with Entra)";

fn status_word(s: &Status) -> &'static str {
    match s {
        Status::Connected => "connected",
        Status::Refreshing => "refreshing",
        Status::NeedsReauth { .. } => "needs_reauth",
        Status::Error { .. } => "error",
    }
}

/// "in 42 min", "expired 3 min ago": what a person reading a terminal wants.
fn relative(at: u64, now: u64) -> String {
    let (d, future) = if at >= now { (at - now, true) } else { (now - at, false) };
    let span = match d {
        0..60 => format!("{d} s"),
        60..7200 => format!("{} min", d / 60),
        7200..172_800 => format!("{} h", d / 3600),
        _ => format!("{} days", d / 86_400),
    };
    if future {
        format!("in {span}")
    } else {
        format!("expired {span} ago")
    }
}

fn row<'a>(services: &Services, i: &'a Installation) -> Row<'a> {
    Row {
        id: i.id.as_str(),
        organization: &i.organization,
        project: &i.project,
        user: &i.user.email,
        auth_type: i.auth_type.as_str(),
        status: status_word(&services.tokens.status_of(i)),
        needs_reauth: i.needs_reauth.as_deref(),
        access_expires_at: i.access_expires_at,
        scopes: i.scopes.to_string(),
        notes: (i.auth_type == AuthKind::Legacy)
            .then(|| LEGACY_NOTE.to_string())
            .into_iter()
            .chain(services.installations.secret_warning(i))
            .collect(),
    }
}

pub fn run(services: &Services, json: bool) -> Result<(), Error> {
    let all = services.installations.all();
    let rows: Vec<Row> = all.iter().map(|i| row(services, i)).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows).map_err(|e| Error::Internal { detail: e.to_string() })?);
        return Ok(());
    }
    if rows.is_empty() {
        println!("No installations. Open Connector Console to install the connector.");
        return Ok(());
    }
    let now = now_secs();
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            let place = format!("{}/{}", r.organization, r.project);
            [r.id.into(), place, r.user.into(), r.auth_type.into(), r.status.into(), relative(r.access_expires_at, now)]
        })
        .collect();
    let head = ["ID", "ORGANIZATION/PROJECT", "USER", "AUTH", "STATUS", "TOKEN EXPIRES"].map(String::from);
    let widths: Vec<usize> = (0..6).map(|c| table.iter().chain([&head]).map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for r in [&head].into_iter().chain(table.iter()) {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        println!("{}", cells.join("  ").trim_end());
    }
    // What needs doing, below the table so the columns stay readable.
    for r in &rows {
        for note in &r.notes {
            println!("{} {}/{}: {note}", r.id, r.organization, r.project);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn expiry_reads_as_a_span() {
        assert_eq!(relative(1_000 + 2_520, 1_000), "in 42 min");
        assert_eq!(relative(1_000, 1_180), "expired 3 min ago");
        assert_eq!(relative(10, 10), "in 0 s");
    }
}
