//! Bad data never panics: any settings file (hand-edited, older, truncated,
//! binary), any token response, any callback URL, any policy file.
//! `PROPTEST_CASES=1000000` for the long run.

mod support;

use connector_core::microsoft::oauth::callback::{is_callback, read_callback};
use connector_core::microsoft::oauth::token::parse_token_response;
use connector_core::store::policy::Policy;
use connector_core::store::settings::{Loaded, SettingsFile, SettingsStore};
use proptest::prelude::*;

/// Settings-like JSON with fields dropped, retyped or renamed.
fn settings_like() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_string()),
        Just("\"legacy\"".to_string()),
        Just("\"entra\"".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551615".to_string()),
        Just("{}".to_string()),
        Just("[]".to_string()),
        "\"[a-z_ ]{0,12}\"".prop_map(|s| s),
    ];
    let key = prop::sample::select(vec![
        "version",
        "library",
        "installations",
        "auth_type",
        "values",
        "client_id",
        "scopes",
        "own_app",
        "access_expires_at",
        "user",
        "id",
        "sign_in_timeout_secs",
        "known_registrations",
        "needs_reauth",
    ]);
    prop::collection::vec((key, value), 0..10).prop_map(|pairs| {
        let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{\"version\": 1, \"installations\": [{{{}}}], {}}}", inner.join(", "), inner.join(", "))
    })
}

/// Any JSON value a policy field could hold: strings (plausible and not), numbers, the rest.
fn policy_value() -> impl Strategy<Value = String> {
    // Mostly strings, so most files get past the JSON shape into the entry's validation.
    prop_oneof![
        12 => prop::sample::select(vec!["entra", "legacy", "vso.work_full vso.project", "organizations", "app-h.cyclr.com", "2027-01-31"])
            .prop_map(|s| format!("{s:?}")),
        12 => "[ -~]{0,40}".prop_map(|s| format!("{s:?}")),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => Just("null".to_string()),
        1 => Just("[]".to_string()),
        1 => Just("true".to_string()),
    ]
}

proptest! {
    // A failing case's seed goes to target/, not to a proptest-regressions/ folder beside the
    // source that a run would leave untracked in the tree.
    #![proptest_config(ProptestConfig::with_failure_persistence(
        proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/proptest-regressions/no_panics.txt"))
    ))]

    #[test]
    fn any_bytes_as_settings_json_load_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), &bytes).unwrap();
        let loaded = SettingsFile::in_dir(dir.path()).load();
        let known = matches!(loaded, Loaded::Existing(_) | Loaded::Quarantined { .. } | Loaded::TooNew { .. } | Loaded::Unreadable { .. });
        prop_assert!(known, "an outcome the app explains");
    }

    #[test]
    fn settings_like_json_opens_without_panicking(text in settings_like()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), &text).unwrap();
        let (store, _) = SettingsStore::open(dir.path());
        let _ = store.get();
    }

    #[test]
    fn any_token_response_parses_or_errs_without_panicking(status in 100u16..600, body in ".{0,300}") {
        let _ = parse_token_response(status, &body);
    }

    #[test]
    fn any_callback_url_is_read_or_refused_without_panicking(
        query in "([a-z_]{0,12}=[^&#]{0,40}&?){0,6}",
        host in prop::sample::select(vec!["localhost", "127.0.0.1", "[::1]", "example.com"]),
        port in 0u16..=65535,
    ) {
        let Ok(url) = url::Url::parse(&format!("http://{host}:{port}/callback?{query}")) else { return Ok(()) };
        let registered = url::Url::parse("http://localhost/callback").unwrap();
        let _ = is_callback(&url, &registered);
        if let Ok(code) = read_callback(&url, "expected-state") {
            let bound = url.query_pairs().any(|(k, v)| k == "state" && v == "expected-state");
            prop_assert!(!code.is_empty() && bound, "a code only with the attempt's state");
        }
    }

    #[test]
    fn any_text_as_a_policy_file_is_accepted_or_refused_without_panicking(text in ".{0,400}") {
        let _ = Policy::parse(&text);
    }

    #[test]
    fn policy_like_json_is_accepted_or_refused_without_panicking(
        version in prop_oneof![Just("1".to_string()), Just("2".to_string()), Just("\"1\"".to_string()), Just("null".to_string())],
        auth in prop::sample::select(vec!["entra", "legacy", "", "other"]),
        key in prop::sample::select(vec!["client_id", "tenant_id", "scopes", "client_secret", "service_domain", "x"]),
        value in "[ -~]{0,60}",
    ) {
        let text = format!(
            r#"{{"version": {version}, "connectors": {{"azure-devops": {{"auth_type": "{auth}", "{key}": {value:?}}}}}}}"#
        );
        let _ = Policy::parse(&text);
    }

    /// A policy file with every field (and the secret it must refuse), each any value.
    #[test]
    fn a_policy_with_every_field_is_accepted_or_refused_without_panicking(
        values in prop::collection::vec(policy_value(), 7),
        extra in prop::option::of(("[A-Za-z_]{1,20}", policy_value())),
    ) {
        let keys = ["auth_type", "client_id", "tenant_id", "scopes", "service_domain", "client_secret_expires", "client_secret"];
        let mut fields: Vec<String> = keys.iter().zip(&values).map(|(k, v)| format!("{k:?}: {v}")).collect();
        if let Some((k, v)) = extra {
            fields.push(format!("{k:?}: {v}"));
        }
        let text = format!(r#"{{"version": 1, "connectors": {{"azure-devops": {{{}}}}}}}"#, fields.join(", "));
        let _ = Policy::parse(&text);
    }

    #[test]
    fn any_expires_in_gives_a_bounded_lifetime(n in any::<u64>(), as_string in any::<bool>()) {
        let field = if as_string { format!("\"{n}\"") } else { n.to_string() };
        let body = format!("{{\"access_token\":\"a\",\"expires_in\":{field}}}");
        let t = parse_token_response(200, &body).unwrap();
        prop_assert!((1..=86_400).contains(&t.expires_in));
    }
}

/// A hand-edited installation whose own app lost its Client ID: refresh and
/// re-authentication say what is wrong instead of panicking (they indexed the map before).
#[tokio::test]
async fn an_installation_with_a_broken_own_app_refuses_with_a_reason() {
    use std::sync::Arc;

    use connector_core::model::installation::{AppSource, InstallInput, Installation, InstallationId};
    use connector_core::model::profile::Profile;
    use connector_core::model::registration::AuthKind;
    use connector_core::store::keychain::SecretStore;
    use connector_core::{Secret, Services};

    let store = Arc::new(support::MemoryStore::default());
    store.set("installation/broken/tokens", &Secret::new(r#"{"a":"x","r":"y"}"#)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let s = Services::with_store_opener(
        dir.path(),
        connector_core::microsoft::endpoints::Endpoints::microsoft(),
        support::opener(store.clone()),
    );
    let id = InstallationId::parse("broken").unwrap();
    let broken = Installation {
        id: id.clone(),
        connector: "azure-devops".into(),
        organization: "contoso".into(),
        project: "Website".into(),
        project_id: "p".into(),
        auth_type: AuthKind::Legacy,
        source: AppSource::Own,
        own_app: [("scopes".to_string(), "vso.work".to_string())].into(),
        scopes: "vso.work".into(),
        user: Profile { id: "u".into(), display_name: "U".into(), email: "u@example.com".into() },
        access_expires_at: 0,
        access_lifetime_secs: 3600,
        last_refreshed_at: None,
        created_at: 0,
        tenant: None,
        claims: None,
        endpoint: None,
        needs_reauth: None,
    };
    s.state
        .settings
        .update(|x| {
            x.installations.push(broken);
            Ok(())
        })
        .unwrap();
    let err = s.tokens.refresh(&id).await.unwrap_err();
    assert_eq!(err.code(), "needs_reauth", "{err}");
    assert!(err.to_string().contains("Client ID"), "{err}");
    let reauth = InstallInput {
        connector: "azure-devops".into(),
        organization: "contoso".into(),
        project: "Website".into(),
        own_app: None,
        scopes_confirmed: true,
        reauth: Some(id),
    };
    assert_eq!(support::stopped_before_the_window(&s, &reauth).await.code(), "settings_invalid");
}
