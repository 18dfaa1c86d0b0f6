//! A legacy app's Client Secret expires (60 days by default since 2025). The admin
//! records the date the registration page shows, and everyone is warned 14 days
//! ahead: in the Library, in the installations list and by `connector-console list`.

/// How far ahead the warning starts.
pub const WARN_DAYS: i64 = 14;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD` (what a date field holds) into days since the epoch.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month[(m - 1) as usize]).then(|| days_from_civil(y, m, d))
}

/// The warning for a secret expiring on `expires` (`YYYY-MM-DD`), `now` being Unix
/// seconds; `None` when it is more than 14 days away or no date is recorded.
pub fn warning(expires: Option<&str>, now: u64, place: &str) -> Option<String> {
    let date = expires.filter(|e| !e.trim().is_empty())?;
    let left = parse_date(date)? - (now / 86_400) as i64;
    // Microsoft ends every token issued with a secret when it expires or is regenerated, and
    // deletes a legacy app 180 days after its secret expired (azure-devops-oauth; sprint 257).
    let when = match left {
        ..=-1 => {
            return Some(format!(
                "The app's Client Secret expired on {date}, and Microsoft ended the tokens issued with it. Paste a new secret into {place}, then Re-authenticate each installation. Microsoft deletes a legacy app 180 days after its secret expired."
            ))
        }
        0 => format!("expires today ({date})"),
        1 => format!("expires tomorrow ({date})"),
        n if n <= WARN_DAYS => format!("expires in {n} days ({date})"),
        _ => return None,
    };
    Some(format!(
        "The app's Client Secret {when}. Add a second one on the app's registration page (a legacy app may hold two) and, before then, paste it into Rotate secret in {place}: every installation is renewed with it at once. After that date every token issued with the old secret stops working, and installations not renewed must sign in again."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_parsed_strictly() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-12-01"), Some(20_788));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        for bad in ["2025-02-29", "2026-13-01", "2026-1-01", "01.12.2026", "", "2026-12-00"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_warning_starts_fourteen_days_ahead() {
        let now = 20_788 * 86_400 + 3_600; // 2026-12-01, 01:00 UTC
        assert_eq!(warning(Some("2026-12-16"), now, "the entry"), None);
        assert!(warning(Some("2026-12-15"), now, "the entry").unwrap().contains("in 14 days (2026-12-15)"));
        assert!(warning(Some("2026-12-01"), now, "the entry").unwrap().contains("expires today"));
        assert!(warning(Some("2026-11-30"), now, "the entry").unwrap().contains("expired on 2026-11-30"));
        assert_eq!(warning(None, now, "the entry"), None);
        assert_eq!(warning(Some("soon"), now, "the entry"), None);
    }
}
