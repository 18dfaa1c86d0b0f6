//! Install links are parsed once, in the core: what they may fill in, and every way one is refused.

use connector_core::model::install_link::{self, InstallLink, MAX_LEN};
use proptest::prelude::*;

fn refusal(text: &str) -> String {
    match InstallLink::parse(text) {
        Ok(link) => panic!("{text} was accepted as {link:?}"),
        Err(e) => {
            assert_eq!(e.code(), "invalid_input", "{text}");
            e.to_string()
        }
    }
}

#[test]
fn a_full_link_fills_connector_organization_and_project() {
    let link = InstallLink::parse("connector-console://install?connector=azure-devops&organization=contoso&project=Website").unwrap();
    assert_eq!(
        link,
        InstallLink {
            connector: "azure-devops".into(),
            organization: Some("contoso".into()),
            project: Some("Website".into()),
            ignored: vec![]
        }
    );
}

#[test]
fn organization_and_project_are_optional_and_percent_decoded() {
    let link = InstallLink::parse("connector-console://install?connector=azure-devops").unwrap();
    assert_eq!((link.organization, link.project), (None, None));
    let link = InstallLink::parse("connector-console://install/?connector=azure-devops&organization=&project=Web%20Site").unwrap();
    assert_eq!((link.organization, link.project.as_deref()), (None, Some("Web Site")));
    // The scheme is case-insensitive, as URL schemes are.
    assert!(InstallLink::parse("Connector-Console://install?connector=azure-devops").is_ok());
}

#[test]
fn the_library_cards_link_parses_back_to_its_connector() {
    let text = install_link::for_connector("azure-devops");
    assert_eq!(text, "connector-console://install?connector=azure-devops");
    assert_eq!(InstallLink::parse(&text).unwrap().connector, "azure-devops");
}

#[test]
fn other_schemes_and_actions_are_refused() {
    for text in [
        "https://install?connector=azure-devops",
        "connector-consol://install?connector=azure-devops",
        "connector-console-x://install?connector=azure-devops",
        "connector-console:install?connector=azure-devops",
        "connector-console://uninstall?connector=azure-devops",
        "connector-console://install/now?connector=azure-devops",
        "connector-console://install:8080?connector=azure-devops",
        "connector-console://install?connector=azure-devops#x",
        "",
    ] {
        refusal(text);
    }
}

#[test]
fn an_unknown_or_missing_connector_is_refused_by_name() {
    assert!(refusal("connector-console://install?connector=github").contains("\"github\", which this app doesn't have (azure-devops)"));
    assert!(refusal("connector-console://install?organization=contoso").contains("names no connector"));
    assert!(refusal("connector-console://install?connector=").contains("names no connector"));
}

#[test]
fn a_link_with_anything_like_a_secret_is_refused_whole() {
    for name in ["client_secret", "Client-Secret", "access_token", "refresh_token", "password", "code", "pat", "api_key", "sig"] {
        let text = format!("connector-console://install?connector=azure-devops&organization=contoso&{name}=abc");
        assert!(refusal(&text).contains("never carries a secret"), "{name}");
    }
    assert!(refusal("connector-console://me:hunter2@install?connector=azure-devops").contains("never carries a secret"));
}

#[test]
fn other_parameters_are_left_out_and_named() {
    let link = InstallLink::parse("connector-console://install?utm_source=mail&connector=azure-devops&utm_source=x&sign_in=1").unwrap();
    assert_eq!(link.ignored, ["sign_in", "utm_source"]);
    assert_eq!(link.organization, None);
}

#[test]
fn a_field_twice_or_a_bad_field_is_refused_with_the_fields_words() {
    assert!(refusal("connector-console://install?connector=azure-devops&project=a&project=b").contains("\"project\" twice"));
    assert!(refusal("connector-console://install?connector=azure-devops&organization=con_toso").contains("remove \"_\""));
    assert!(refusal("connector-console://install?connector=azure-devops&project=a%2Fb").contains("\"/\""));
    let long_org = "a".repeat(51);
    assert!(refusal(&format!("connector-console://install?connector=azure-devops&organization={long_org}")).contains("at most 50"));
}

#[test]
fn lengths_spaces_and_line_breaks_are_refused() {
    let padded = format!("connector-console://install?connector=azure-devops&utm={}", "x".repeat(MAX_LEN));
    assert!(refusal(&padded).contains("over 2048 characters"));
    let just_fits = format!("connector-console://install?connector=azure-devops&utm={}", "x".repeat(MAX_LEN - 55));
    assert!(just_fits.len() <= MAX_LEN && InstallLink::parse(&just_fits).is_ok());
    assert!(refusal("connector-console://install?connector=azure-devops&project=Web Site").contains("spaces or line breaks"));
    assert!(refusal("connector-console://install?connector=azure-devops\n&project=x").contains("spaces or line breaks"));
}

#[test]
fn only_links_are_told_apart_from_subcommands() {
    assert!(install_link::is_link("connector-console://install"));
    assert!(install_link::is_link("CONNECTOR-CONSOLE:x"));
    for arg in ["list", "token", "connector-console", "connector-consolex://", "", "é"] {
        assert!(!install_link::is_link(arg), "{arg}");
    }
}

proptest! {
    /// Whatever text arrives (a second launch passes any argument), parsing answers without
    /// panicking, and what it accepts is a known connector with valid fields and no secret.
    #[test]
    fn any_text_is_parsed_or_refused(tail in ".{0,200}") {
        for text in [format!("connector-console://install?{tail}"), tail.clone()] {
            if let Ok(link) = InstallLink::parse(&text) {
                prop_assert_eq!(link.connector.as_str(), "azure-devops");
                prop_assert!(link.organization.iter().all(|o| !o.is_empty() && o.len() <= 50));
                prop_assert!(link.ignored.iter().all(|n| !n.contains("secret") && !n.contains("token")));
            }
        }
    }
}
