//! Tenant discovery, remembered per organization for a few minutes: Next finds the
//! organization's tenant, and Sign In, moments later, uses that answer instead of asking
//! again (a round trip less before Microsoft's page). An organization doesn't move to
//! another tenant within minutes; a discovery that failed is not remembered.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::microsoft::azure_devops::OrgTenant;
use crate::sync::lock;

/// How long a discovered tenant is used without asking again.
const KEEP: Duration = Duration::from_secs(5 * 60);

/// Whether an answer found `at` may still be used `now`.
fn fresh(at: Instant, now: Instant) -> bool {
    now.saturating_duration_since(at) < KEEP
}

#[derive(Default)]
pub struct Discovered(Mutex<HashMap<String, (Instant, Option<OrgTenant>)>>);

impl Discovered {
    /// What was found for `org` within the last few minutes, if anything was.
    pub fn get(&self, org: &str) -> Option<Option<OrgTenant>> {
        let map = lock(&self.0);
        map.get(&org.to_ascii_lowercase()).filter(|(at, _)| fresh(*at, Instant::now())).map(|(_, found)| found.clone())
    }

    pub fn put(&self, org: &str, found: &Option<OrgTenant>) {
        let mut map = lock(&self.0);
        let now = Instant::now();
        map.retain(|_, (at, _)| fresh(*at, now));
        map.insert(org.to_ascii_lowercase(), (Instant::now(), found.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_used_for_five_minutes() {
        let at = Instant::now();
        assert!(fresh(at, at));
        assert!(fresh(at, at + Duration::from_secs(4 * 60 + 59)), "Next, then Sign In minutes later");
        assert!(!fresh(at, at + Duration::from_secs(5 * 60)));
        assert!(!fresh(at, at + Duration::from_secs(3600)));
    }

    #[test]
    fn an_organization_is_one_whatever_its_case() {
        let d = Discovered::default();
        assert_eq!(d.get("contoso"), None);
        d.put("Contoso", &None);
        assert_eq!(d.get("contoso"), Some(None), "what was found, kept under the name in lower case");
        assert_eq!(d.get("fabrikam"), None);
    }
}
