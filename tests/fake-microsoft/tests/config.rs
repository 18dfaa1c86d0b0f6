//! The standalone fake's config file: sections replace the demo's, the rest stays.

use fake_microsoft::World;

#[test]
fn a_config_replaces_only_the_sections_it_names() {
    let json = r#"{
        "legacy_apps": [{
            "name": "Partner App", "app_id": "11111111-2222-4333-8444-555555555555",
            "app_secret": "app-secret", "client_secret": "eyJhbGciOi.client-secret",
            "scopes": ["vso.work"], "callback_url": "https://partner.example.com/connector/callback"
        }],
        "access_token_seconds": 60
    }"#;
    let w = World::from_config(json).unwrap();
    assert_eq!(w.legacy_apps.len(), 1);
    assert_eq!(w.legacy_apps[0].name, "Partner App");
    assert_eq!(w.lifetimes.access_token.as_secs(), 60);
    assert_eq!(w.entra_apps.len(), World::demo().entra_apps.len(), "untouched sections keep the demo");
}

#[test]
fn a_bad_config_is_refused_with_the_reason() {
    let err = World::from_config(r#"{"legacy_app": []}"#).unwrap_err();
    assert!(err.contains("unknown field"), "{err}");
    assert!(World::from_config("not json").is_err());
}
