//! Property tests of the scope engine over arbitrary and realistic input.

use connector_core::model::scopes::{catalog, compare, parse_scopes, to_entra, Comparison, ScopeSet};
use proptest::prelude::*;

/// One catalog scope written the way a user might paste it.
fn written_scope() -> impl Strategy<Value = (String, String)> {
    let n = catalog().entries().len();
    (0..n, 0..4u8).prop_map(|(i, form)| {
        let e = &catalog().entries()[i];
        let text = match form {
            0 => e.scope.clone(),
            1 => e.scope.to_uppercase(),
            2 => e.name.clone(),
            _ => format!("499b84ac-1321-427f-aa17-267ca6975798/{}", e.scope),
        };
        (e.scope.clone(), text)
    })
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", ",", ";", "\n", ", ", " ;\r\n", "\t"])
}

fn pasted_list() -> impl Strategy<Value = (Vec<String>, String)> {
    prop::collection::vec((written_scope(), separator()), 0..12).prop_map(|items| {
        let scopes = items.iter().map(|((s, _), _)| s.clone()).collect();
        let text = items.iter().map(|((_, t), sep)| format!("{t}{sep}")).collect();
        (scopes, text)
    })
}

fn valid_set() -> impl Strategy<Value = ScopeSet> {
    pasted_list().prop_map(|(_, text)| parse_scopes(&text).expect("generated lists are valid"))
}

proptest! {
    // A failing case's seed goes to target/, not to a proptest-regressions/ folder beside the
    // source that a run would leave untracked in the tree.
    #![proptest_config(ProptestConfig::with_failure_persistence(
        proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/proptest-regressions/scope_properties.txt"))
    ))]

    // The default 256 cases; PROPTEST_CASES raises it for the long run.
    #[test]
    fn parse_never_panics_on_any_text(s in any::<String>()) {
        let _ = parse_scopes(&s);
    }

    #[test]
    fn parse_never_panics_on_near_miss_text(s in "[a-zA-Z_ .,;()\n/0-9-]{0,200}") {
        let _ = parse_scopes(&s);
    }

    #[test]
    fn parse_finds_exactly_the_scopes_written((scopes, text) in pasted_list()) {
        let set = parse_scopes(&text).unwrap();
        let mut want = scopes.clone();
        want.sort();
        want.dedup();
        prop_assert_eq!(set.iter().map(str::to_string).collect::<Vec<_>>(), want);
    }

    #[test]
    fn normalize_is_idempotent(set in valid_set()) {
        let again = parse_scopes(&set.to_string()).unwrap();
        prop_assert_eq!(again, set);
    }

    #[test]
    fn compare_ignores_order_and_its_diff_is_symmetric((scopes, _) in pasted_list(), b in valid_set(), seed in any::<u64>()) {
        let forward = scopes.join(" ");
        let mut shuffled = scopes.clone();
        // A deterministic shuffle from the seed.
        let len = shuffled.len().max(1);
        shuffled.rotate_left((seed as usize) % len);
        shuffled.reverse();
        let a1 = parse_scopes(&forward).unwrap();
        let a2 = parse_scopes(&shuffled.join(",")).unwrap();
        prop_assert_eq!(compare(&a1, &b), compare(&a2, &b));
        match (compare(&a1, &b), compare(&b, &a1)) {
            (Comparison::Exact, Comparison::Exact) => prop_assert_eq!(&a1, &b),
            (Comparison::Mismatch { missing: m1, extra: e1 }, Comparison::Mismatch { missing: m2, extra: e2 }) => {
                prop_assert_eq!(m1, e2);
                prop_assert_eq!(e1, m2);
            }
            (x, y) => prop_assert!(false, "asymmetric: {:?} vs {:?}", x, y),
        }
    }

    #[test]
    fn to_entra_round_trips_through_parse(set in valid_set()) {
        let entra = to_entra(&set).join(" ");
        prop_assert_eq!(parse_scopes(&entra).unwrap(), set);
    }
}
