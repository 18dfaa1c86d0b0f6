//! A legacy app's Client Secret expires (60 days by default since 2025). The admin
//! records the date the registration page shows, and everyone is warned 14 days
//! ahead: in the Library, in the installations list and by `connector-console list`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::ids::InstallationId;

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

/// A shared legacy app's Client Secret that actually stopped working. Microsoft ends every
/// token issued with it, so every installation signed in with it must sign in again; kept (in
/// `Settings::expired_secrets`) until each of them has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpiredSecret {
    /// The day it stopped working (`YYYY-MM-DD`): its recorded expiry date, or the day
    /// Microsoft refused it.
    pub on: String,
    /// Microsoft refused it (expired or regenerated), rather than its recorded date passing.
    pub refused: bool,
    /// `None` until the admin saves a new secret: until then every installation must sign in
    /// again, and can't. Then the installation ids signed in with the dead secret at that save,
    /// less each one that signed in or refreshed since. Ids, not times: a sign-in in the same
    /// second as the save is still told apart.
    pub to_sign_in_again: Option<BTreeSet<InstallationId>>,
}

/// `YYYY-MM-DD` of Unix seconds (Howard Hinnant's `civil_from_days`).
pub fn date_of(secs: u64) -> String {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A recorded expiry date that has passed (before `now`'s day).
pub fn has_passed(expires: Option<&str>, now: u64) -> bool {
    expires.and_then(parse_date).is_some_and(|day| day < (now / 86_400) as i64)
}

/// What is known of a connector's expired secret: the record, else its recorded date past.
pub fn expired(known: Option<&ExpiredSecret>, recorded: Option<&str>, now: u64) -> Option<ExpiredSecret> {
    if let Some(known) = known {
        return Some(known.clone());
    }
    let date = recorded?;
    has_passed(Some(date), now).then(|| ExpiredSecret { on: date.to_string(), refused: false, to_sign_in_again: None })
}

/// Microsoft refused the connector's shared legacy secret on a refresh: it is dead, and no
/// new one is saved yet. `false` when that was known already (nothing to write).
pub fn refused(known: &mut BTreeMap<String, ExpiredSecret>, connector: &str, now: u64) -> bool {
    match known.get_mut(connector) {
        Some(dead) if dead.to_sign_in_again.is_none() => false,
        // The secret saved in its place is refused too: the admin must add another.
        Some(dead) => {
            dead.to_sign_in_again = None;
            true
        }
        None => {
            known.insert(connector.to_string(), ExpiredSecret { on: date_of(now), refused: true, to_sign_in_again: None });
            true
        }
    }
}

/// The Library card's warning for a secret Microsoft refused, until a new one is saved.
pub fn refused_warning(known: Option<&ExpiredSecret>) -> Option<String> {
    let dead = known.filter(|d| d.refused && d.to_sign_in_again.is_none())?;
    Some(format!(
        "Microsoft refused this entry's Client Secret on {}: it expired or was regenerated, and the tokens issued with it ended. Save a new one here (Set up → Client Secret), then each installation signs in again.",
        dead.on
    ))
}

/// The admin saved a new secret for the connector's legacy entry (whose recorded expiry date
/// was `recorded`): if the old secret had expired, `signed_in_with_it` (its installations
/// now) are the ones to sign in again.
pub fn replaced(
    known: &mut BTreeMap<String, ExpiredSecret>,
    connector: &str,
    recorded: Option<&str>,
    now: u64,
    signed_in_with_it: BTreeSet<InstallationId>,
) {
    if let Some(mut dead) = expired(known.get(connector), recorded, now).filter(|e| e.to_sign_in_again.is_none()) {
        dead.to_sign_in_again = Some(signed_in_with_it);
        known.insert(connector.to_string(), dead);
    }
}

/// The installation has live tokens again (signed in, or refreshed, with the new secret): it
/// leaves the list, and a record nobody is left in goes.
pub fn signed_in_again(known: &mut BTreeMap<String, ExpiredSecret>, installation: &InstallationId) {
    known.retain(|_, dead| match &mut dead.to_sign_in_again {
        Some(ids) => {
            ids.remove(installation);
            !ids.is_empty()
        }
        None => true,
    });
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
    fn dates_of_seconds_read_back() {
        for date in ["1970-01-01", "2024-02-29", "2026-12-31", "2027-03-01"] {
            assert_eq!(date_of(parse_date(date).unwrap() as u64 * 86_400 + 7_200), date);
        }
        assert!(has_passed(Some("2026-11-30"), 20_788 * 86_400));
        assert!(!has_passed(Some("2026-12-01"), 20_788 * 86_400));
        assert!(!has_passed(None, 20_788 * 86_400));
    }

    const NOW: u64 = 20_794 * 86_400 + 3_600; // 2026-12-07, 01:00 UTC

    fn ids(list: &[&str]) -> BTreeSet<InstallationId> {
        list.iter().copied().map(id).collect()
    }

    fn id(text: &str) -> InstallationId {
        InstallationId::parse(text).unwrap()
    }

    #[test]
    fn a_refusal_is_recorded_once_and_a_new_secret_ends_the_wait() {
        let mut known = BTreeMap::new();
        assert!(refused(&mut known, "azure-devops", NOW));
        assert!(!refused(&mut known, "azure-devops", NOW + 60), "known already: nothing to write");
        let dead = &known["azure-devops"];
        assert_eq!((dead.on.as_str(), dead.refused, &dead.to_sign_in_again), ("2026-12-07", true, &None));
        assert!(refused_warning(known.get("azure-devops")).unwrap().contains("refused this entry's Client Secret on 2026-12-07"));
        replaced(&mut known, "azure-devops", None, NOW + 120, ids(&["a", "b"]));
        assert_eq!(known["azure-devops"].to_sign_in_again, Some(ids(&["a", "b"])));
        assert_eq!(refused_warning(known.get("azure-devops")), None, "a new secret is saved");
        // A later save keeps who was signed in with the dead secret.
        replaced(&mut known, "azure-devops", None, NOW + 900, ids(&["a", "b", "c"]));
        assert_eq!(known["azure-devops"].to_sign_in_again, Some(ids(&["a", "b"])));
        // The new secret refused too: the admin must add another.
        assert!(refused(&mut known, "azure-devops", NOW + 960));
        assert_eq!(known["azure-devops"].to_sign_in_again, None);
    }

    #[test]
    fn each_sign_in_again_leaves_the_list_and_the_last_ends_the_record() {
        let mut known = BTreeMap::new();
        refused(&mut known, "azure-devops", NOW);
        refused(&mut known, "other", NOW);
        // Before a new secret is saved, a sign-in can't have worked: nothing changes.
        signed_in_again(&mut known, &id("a"));
        assert_eq!(known.len(), 2);
        replaced(&mut known, "azure-devops", None, NOW, ids(&["a", "b"]));
        signed_in_again(&mut known, &id("a"));
        assert_eq!(known["azure-devops"].to_sign_in_again, Some(ids(&["b"])));
        signed_in_again(&mut known, &id("b"));
        assert!(!known.contains_key("azure-devops"), "nobody left to sign in again");
        assert_eq!(known["other"].to_sign_in_again, None, "another app's record is untouched");
    }

    #[test]
    fn a_recorded_date_past_counts_and_its_replacement_is_remembered() {
        let dead = expired(None, Some("2026-12-06"), NOW).unwrap();
        assert_eq!((dead.on.as_str(), dead.refused, dead.to_sign_in_again), ("2026-12-06", false, None));
        assert_eq!(expired(None, Some("2026-12-07"), NOW), None, "expires today: not yet");
        let mut known = BTreeMap::new();
        replaced(&mut known, "azure-devops", Some("2026-12-07"), NOW, ids(&["a"]));
        assert!(known.is_empty(), "a secret replaced before it expired is no expiry");
        replaced(&mut known, "azure-devops", Some("2026-12-01"), NOW, ids(&["a"]));
        assert_eq!(known["azure-devops"].to_sign_in_again, Some(ids(&["a"])));
    }

    #[test]
    fn the_warning_starts_fourteen_days_ahead() {
        let now = 20_788 * 86_400 + 3_600; // 2026-12-01, 01:00 UTC
        assert_eq!(warning(Some("2026-12-16"), now, "the entry"), None);
        assert!(warning(Some("2026-12-15"), now, "the entry").unwrap().contains("in 14 days (2026-12-15)"));
        assert!(warning(Some("2026-12-01"), now, "the entry").unwrap().contains("expires today"));
        let expired = warning(Some("2026-11-30"), now, "the entry").unwrap();
        assert!(expired.contains("expired on 2026-11-30"), "{expired}");
        // Microsoft deletes a legacy app 180 days after its secret expired: said once it has.
        assert!(expired.contains("Microsoft deletes a legacy app 180 days after its secret expired"), "{expired}");
        assert!(!warning(Some("2026-12-15"), now, "the entry").unwrap().contains("180 days"), "not before it expired");
        assert_eq!(warning(None, now, "the entry"), None);
        assert_eq!(warning(Some("soon"), now, "the entry"), None);
    }
}
