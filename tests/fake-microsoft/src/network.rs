//! A network that costs what a real one does: every request waits a set latency before
//! it is answered (a round trip to Microsoft is 30–300 ms, more behind a VPN), and each is
//! recorded with when it arrived and when it was answered. From that record a benchmark
//! counts an action's requests and finds how many of them waited on each other. Tests keep
//! the default of no latency.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// One request as the fake saw it; times count from the fake's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub start: Duration,
    pub end: Duration,
}

#[derive(Debug)]
pub struct Network {
    epoch: Instant,
    latency: Mutex<Duration>,
    log: Mutex<Vec<Exchange>>,
}

impl Default for Network {
    fn default() -> Self {
        Self { epoch: Instant::now(), latency: Mutex::default(), log: Mutex::default() }
    }
}

impl Network {
    pub fn set_latency(&self, latency: Duration) {
        *self.latency.lock().unwrap_or_else(PoisonError::into_inner) = latency;
    }

    /// The requests recorded since the last call, and a fresh record.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The middleware: waits the latency, answers, records.
pub async fn delay_and_record(State(network): State<Arc<Network>>, request: Request, next: Next) -> Response {
    let start = network.epoch.elapsed();
    let (method, path) = (request.method().to_string(), request.uri().path().to_string());
    let latency = *network.latency.lock().unwrap_or_else(PoisonError::into_inner);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let response = next.run(request).await;
    let end = network.epoch.elapsed();
    network.log.lock().unwrap_or_else(PoisonError::into_inner).push(Exchange { method, path, start, end });
    response
}

/// The longest chain of requests each of which started only after the one before it
/// ended: how many round trips the action waited for, one after another.
pub fn serial_depth(exchanges: &[Exchange]) -> usize {
    let mut by_end: Vec<&Exchange> = exchanges.iter().collect();
    by_end.sort_by_key(|e| e.end);
    let mut depth: Vec<usize> = Vec::with_capacity(by_end.len());
    for (i, e) in by_end.iter().enumerate() {
        let before = (0..i).filter(|&j| by_end[j].end <= e.start).map(|j| depth[j]).max().unwrap_or(0);
        depth.push(before + 1);
    }
    depth.into_iter().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: u64, end: u64) -> Exchange {
        Exchange { method: "GET".into(), path: "/".into(), start: Duration::from_millis(start), end: Duration::from_millis(end) }
    }

    #[test]
    fn overlapping_requests_add_one_level_and_chained_ones_add_each() {
        assert_eq!(serial_depth(&[]), 0);
        assert_eq!(serial_depth(&[at(0, 10), at(1, 11), at(2, 12)]), 1, "three at once");
        assert_eq!(serial_depth(&[at(0, 10), at(10, 20), at(21, 30)]), 3, "one after another");
        assert_eq!(serial_depth(&[at(0, 10), at(11, 20), at(11, 40), at(41, 50)]), 3, "two at once in the middle");
    }
}
