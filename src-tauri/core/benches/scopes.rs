//! Prints how long the scope engine takes on a realistic worst case: a pasted
//! list of 100 scopes (strings, UI names and Entra-prefixed forms, mixed
//! separators), parsed and compared against a registration.
//!
//! `cargo bench -p connector-core --bench scopes`

use std::hint::black_box;
use std::time::{Duration, Instant};

use connector_core::model::scopes::{catalog, compare, parse_scopes};

fn hundred_scope_paste() -> String {
    let entries = catalog().entries();
    let separators = [", ", "\n", "; ", " "];
    (0..100)
        .map(|i| {
            let e = &entries[i % entries.len()];
            let token = match i % 3 {
                0 => e.scope.clone(),
                1 => e.name.clone(),
                _ => format!("499b84ac-1321-427f-aa17-267ca6975798/{}", e.scope.to_uppercase()),
            };
            format!("{token}{}", separators[i % separators.len()])
        })
        .collect()
}

/// Median of `rounds` timings of `iters` calls each, per call.
fn measure(rounds: usize, iters: u32, mut f: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed() / iters
        })
        .collect();
    samples.sort();
    samples[rounds / 2]
}

fn main() {
    let paste = hundred_scope_paste();
    let registered = parse_scopes("vso.work_full vso.project vso.code").unwrap();
    // Warm the catalog (parsed once per process, on first use).
    let _ = parse_scopes(&paste).unwrap();
    let parse = measure(21, 200, || {
        black_box(parse_scopes(black_box(&paste)).unwrap());
    });
    let requested = parse_scopes(&paste).unwrap();
    let cmp = measure(21, 2_000, || {
        black_box(compare(black_box(&requested), black_box(&registered)));
    });
    let both = measure(21, 200, || {
        let r = parse_scopes(black_box(&paste)).unwrap();
        black_box(compare(&r, &registered));
    });
    println!("scope engine, 100-token paste ({} chars, {} distinct scopes):", paste.len(), requested.len());
    println!("  parse_scopes         {:>9.1} µs", parse.as_secs_f64() * 1e6);
    println!("  compare              {:>9.1} µs", cmp.as_secs_f64() * 1e6);
    println!("  parse + compare      {:>9.1} µs", both.as_secs_f64() * 1e6);
}
