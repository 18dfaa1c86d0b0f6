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

#[derive(Default)]
pub struct Discovered(Mutex<HashMap<String, (Instant, Option<OrgTenant>)>>);

impl Discovered {
    /// What was found for `org` within the last few minutes, if anything was.
    pub fn get(&self, org: &str) -> Option<Option<OrgTenant>> {
        let map = lock(&self.0);
        map.get(&org.to_ascii_lowercase()).filter(|(at, _)| at.elapsed() < KEEP).map(|(_, found)| found.clone())
    }

    pub fn put(&self, org: &str, found: &Option<OrgTenant>) {
        let mut map = lock(&self.0);
        map.retain(|_, (at, _)| at.elapsed() < KEEP);
        map.insert(org.to_ascii_lowercase(), (Instant::now(), found.clone()));
    }
}
