//! When a refresh is due, and how long a failing one waits before its next try.

use crate::model::installation::Installation;

/// Seconds until the next try after `failures` earlier failures in a row: 30 s, doubling,
/// at most 10 minutes (a network that is down for an hour costs a request every 10 minutes).
pub(super) fn backoff(failures: u64) -> u64 {
    (30u64 << failures.min(5)).min(600)
}

/// Refresh this long before expiry: 5 minutes for 1-hour tokens, and
/// proportionally less for short-lived ones.
pub(super) fn refresh_margin(lifetime_secs: u64) -> u64 {
    (lifetime_secs / 12).clamp(1, 300)
}

/// Whether the installation's access token is within its refresh margin of expiry (or past it).
pub(super) fn is_due(i: &Installation, now: u64) -> bool {
    now + refresh_margin(i.access_lifetime_secs) >= i.access_expires_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_refresh_waits_30_s_then_doubles_up_to_10_minutes() {
        let waits: Vec<u64> = (0..8).map(backoff).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 600, 600, 600]);
        assert_eq!(backoff(u64::MAX), 600, "no overflow after very many failures");
    }

    #[test]
    fn the_margin_is_a_twelfth_of_the_lifetime_between_1_s_and_5_minutes() {
        assert_eq!(refresh_margin(3600), 300, "an hour's token: 5 minutes early");
        assert_eq!(refresh_margin(86_400), 300, "never more than 5 minutes");
        assert_eq!(refresh_margin(600), 50, "a 10-minute token: 50 s early");
        assert_eq!(refresh_margin(5), 1, "at least a second");
    }
}
