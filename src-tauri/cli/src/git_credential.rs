//! The Git credential helper protocol (git-credential(1)): `key=value` lines
//! on stdin, answered on stdout. Azure DevOps hosts get the token of that
//! organization's installation; anything else gets no answer, so Git falls
//! through to its other helpers. The token goes only to Git, on stdout.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use connector_core::model::installation::Installation;
use connector_core::{Error, Services};

/// What Git asked about, from its `key=value` lines (up to a blank line).
pub fn parse(input: impl BufRead) -> BTreeMap<String, String> {
    fields(&lines(input))
}

/// Git's lines, up to the blank line that ends a request.
fn lines(input: impl BufRead) -> Vec<String> {
    input.lines().map_while(Result::ok).take_while(|l| !l.is_empty()).collect()
}

fn fields(lines: &[String]) -> BTreeMap<String, String> {
    lines.iter().filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect()
}

/// A Continuous Access Evaluation claims challenge among the `WWW-Authenticate` headers
/// Git passes on (`wwwauth[]`, one line each, since Git 2.41) after Azure DevOps refused
/// its last token.
pub fn claims_challenge(lines: &[String]) -> Option<String> {
    lines.iter().filter_map(|l| l.strip_prefix("wwwauth[]=")).find_map(connector_core::microsoft::azure_devops::claims_challenge)
}

/// Why a request for an Azure DevOps host gets no answer.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// Not an Azure DevOps URL: another helper's business.
    NotAzureDevOps,
    /// dev.azure.com without a path: the organization is unknown. Git leaves the
    /// path out unless `useHttpPath` is set, and the user name in the URL is anyone's
    /// to write (`https://contoso@dev.azure.com/evilorg/…`), so it never decides.
    NoPath,
    /// A `.` or `..` segment: not a path Azure DevOps serves.
    DotSegment,
}

/// The organization (and project, when the path names it) an Azure DevOps URL names.
pub fn azure_devops_target(req: &BTreeMap<String, String>) -> Result<(String, Option<String>), Refused> {
    if req.get("protocol").map(String::as_str) != Some("https") {
        return Err(Refused::NotAzureDevOps);
    }
    let host = req.get("host").ok_or(Refused::NotAzureDevOps)?.to_ascii_lowercase();
    let path: Vec<String> = req.get("path").map(|p| p.split('/').filter(|s| !s.is_empty()).map(url_decode).collect()).unwrap_or_default();
    let is_devops = host == "dev.azure.com" || host.strip_suffix(".visualstudio.com").is_some_and(|o| !o.is_empty() && !o.contains('.'));
    if !is_devops {
        return Err(Refused::NotAzureDevOps);
    }
    if path.iter().any(|s| s == "." || s == "..") {
        return Err(Refused::DotSegment);
    }
    if host == "dev.azure.com" {
        // https://dev.azure.com/{org}/{project}/_git/{repo}
        let org = path.first().cloned().ok_or(Refused::NoPath)?;
        let project = path.get(1).filter(|p| p.as_str() != "_git").cloned();
        return Ok((org, project));
    }
    // https://{org}.visualstudio.com/{project}/_git/{repo}: the host names the organization.
    let org = host.strip_suffix(".visualstudio.com").unwrap_or_default();
    let project = path.first().filter(|p| p.as_str() != "_git").cloned();
    Ok((org.to_string(), project))
}

fn url_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_else(|| s.to_string())
}

/// The installation for an organization: the project's when named, else one
/// that is not waiting for re-authentication (a token is per user, not per project).
fn choose<'a>(all: &'a [Installation], org: &str, project: Option<&str>) -> Option<&'a Installation> {
    let in_org: Vec<&Installation> = all.iter().filter(|i| i.organization.eq_ignore_ascii_case(org)).collect();
    let exact = project.and_then(|p| in_org.iter().find(|i| i.project.eq_ignore_ascii_case(p)));
    exact.or_else(|| in_org.iter().find(|i| i.needs_reauth.is_none())).or(in_org.first()).copied()
}

pub async fn get(services: &Services) -> Result<(), Error> {
    let lines = lines(std::io::stdin().lock());
    let req = fields(&lines);
    let (org, project) = match azure_devops_target(&req) {
        Ok(target) => target,
        Err(Refused::NotAzureDevOps) => return Ok(()),
        Err(Refused::NoPath) => {
            eprintln!("connector-console: Git sent no path for dev.azure.com, so the organization is unknown and no token is given. Run: git config --global credential.https://dev.azure.com.useHttpPath true");
            return Ok(());
        }
        Err(Refused::DotSegment) => {
            eprintln!("connector-console: the URL's path has a \".\" or \"..\" segment; no token is given.");
            return Ok(());
        }
    };
    let all = services.installations.all();
    let Some(i) = choose(&all, &org, project.as_deref()) else { return Ok(()) };
    // After a claims challenge, a silent token request with the claims first, as the window
    // does; only a refusal from Microsoft makes the installation need a sign-in.
    let token = match claims_challenge(&lines) {
        Some(claims) => services.tokens.answer_claims_challenge(&i.id, claims).await,
        None => services.tokens.access_token(&i.id).await,
    };
    let token = match token {
        Ok(t) => t,
        Err(e) => {
            // Say why on stderr (Git shows it), answer nothing: Git asks its other helpers.
            eprintln!("connector-console: no token for {}/{}: {e}. {}", i.organization, i.project, e.hint());
            return Ok(());
        }
    };
    let expires = services.installations.get(&i.id).map(|x| x.access_expires_at).unwrap_or(i.access_expires_at);
    let username = if i.user.email.is_empty() { "connector-console" } else { &i.user.email };
    let answer = format!("username={username}\npassword={}\npassword_expiry_utc={expires}\n", token.expose());
    let mut out = std::io::stdout().lock();
    out.write_all(answer.as_bytes()).and_then(|()| out.flush()).map_err(|e| Error::Internal { detail: format!("answering Git: {e}") })
}

/// `store` and `erase`: read what Git sends and keep nothing.
pub fn ignore_input() -> Result<(), Error> {
    let _ = parse(std::io::stdin().lock());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: &str) -> BTreeMap<String, String> {
        parse(text.as_bytes())
    }

    #[test]
    fn dev_azure_com_names_the_org_and_project_from_the_path() {
        let r = req("protocol=https\nhost=dev.azure.com\npath=contoso/Fabrikam%20Fiber/_git/web\n\n");
        assert_eq!(azure_devops_target(&r), Ok(("contoso".into(), Some("Fabrikam Fiber".into()))));
        // Without the path the user name would decide, and anyone can write one into a URL.
        let no_path = req("protocol=https\nhost=dev.azure.com\nusername=contoso\n");
        assert_eq!(azure_devops_target(&no_path), Err(Refused::NoPath));
        assert_eq!(azure_devops_target(&req("protocol=https\nhost=dev.azure.com\n")), Err(Refused::NoPath), "no org known");
        let dots = req("protocol=https\nhost=dev.azure.com\npath=contoso/../evilorg/_git/x\n");
        assert_eq!(azure_devops_target(&dots), Err(Refused::DotSegment));
    }

    #[test]
    fn a_claims_challenge_is_found_among_the_www_authenticate_headers_git_passes_on() {
        let text = "protocol=https\nhost=dev.azure.com\nwwwauth[]=Basic realm=\"https://dev.azure.com/\"\n\
            wwwauth[]=Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"insufficient_claims\", claims=\"eyJhIjoxfQ==\"\n\n";
        assert_eq!(claims_challenge(&lines(text.as_bytes())).as_deref(), Some("eyJhIjoxfQ=="));
        let plain =
            "protocol=https\nhost=dev.azure.com\nwwwauth[]=Bearer authorization_uri=\"https://login.microsoftonline.com/common\"\n\n";
        assert_eq!(claims_challenge(&lines(plain.as_bytes())), None, "a plain 401 is no challenge");
    }

    /// Broken: the dot-segment check made before percent-decoding, so `%2e%2e` passed
    /// as an organization or project named "..".
    #[test]
    fn percent_encoded_dot_segments_are_refused_too() {
        for path in ["%2e%2e/evilorg/_git/x", "%2E%2E/_git/x", "contoso/%2e%2e/_git/x", "contoso/%2E/_git/x", ".%2e/x"] {
            let r = req(&format!("protocol=https\nhost=dev.azure.com\npath={path}\n"));
            assert_eq!(azure_devops_target(&r), Err(Refused::DotSegment), "{path}");
        }
        let vs = req("protocol=https\nhost=contoso.visualstudio.com\npath=%2e%2e/_git/x\n");
        assert_eq!(azure_devops_target(&vs), Err(Refused::DotSegment));
    }

    #[test]
    fn visualstudio_com_hosts_name_the_org() {
        let r = req("protocol=https\nhost=contoso.visualstudio.com\npath=Website/_git/Website\n");
        assert_eq!(azure_devops_target(&r), Ok(("contoso".into(), Some("Website".into()))));
    }

    #[test]
    fn anything_else_gets_no_answer() {
        for text in [
            "protocol=https\nhost=github.com\npath=contoso/x.git\n",
            "protocol=http\nhost=dev.azure.com\npath=contoso/x/_git/x\n",
            "protocol=https\nhost=evil.visualstudio.com.example.net\n",
            "protocol=https\nhost=dev.azure.com.evil.example\npath=contoso\n",
        ] {
            assert_eq!(azure_devops_target(&req(text)), Err(Refused::NotAzureDevOps), "{text}");
        }
    }

    proptest::proptest! {
        // A failing case's seed goes to target/, not beside the source: a run must not leave
        // an untracked folder in the tree. A case worth keeping becomes a fixed test above.
        #![proptest_config(proptest::test_runner::Config::with_failure_persistence(
            proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/proptest-regressions/git_credential.txt"))
        ))]

        /// Any text on stdin is read without a panic, and only an https Azure DevOps host
        /// with a named organization and no dot segment ever gets an answer.
        #[test]
        fn any_input_is_answered_only_for_an_azure_devops_org(text in "(?s).{0,400}") {
            check(&parse(text.as_bytes()))?;
        }

        /// Git-like requests: real hosts, look-alikes, paths with encoded and dot segments.
        #[test]
        fn git_like_requests_are_answered_only_for_an_azure_devops_org(
            protocol in proptest::sample::select(vec!["https", "http", "HTTPS", ""]),
            host in proptest::sample::select(vec![
                "dev.azure.com", "DEV.AZURE.COM", "dev.azure.com.evil.example", "evil.dev.azure.com",
                "contoso.visualstudio.com", "a.b.visualstudio.com", ".visualstudio.com", "github.com",
            ]),
            segments in proptest::collection::vec(
                proptest::sample::select(vec!["contoso", "Fabrikam%20Fiber", "_git", "web", ".", "..", "%2e%2e", "%2E", "", "a+b"]),
                0..5,
            ),
            with_path in proptest::bool::ANY,
        ) {
            let mut text = format!("protocol={protocol}\nhost={host}\n");
            if with_path {
                text.push_str(&format!("path={}\n", segments.join("/")));
            }
            check(&parse(format!("{text}\n").as_bytes()))?;
        }
    }

    /// The property both runs check: an answer only where it may go.
    fn check(req: &BTreeMap<String, String>) -> Result<(), proptest::test_runner::TestCaseError> {
        if let Ok((org, _)) = azure_devops_target(req) {
            let host = req["host"].to_ascii_lowercase();
            proptest::prop_assert_eq!(req["protocol"].as_str(), "https");
            proptest::prop_assert!(host == "dev.azure.com" || host.ends_with(".visualstudio.com"), "{host}");
            proptest::prop_assert!(!org.is_empty() && org != "." && org != "..", "{org:?}");
            let decoded: Vec<String> = req.get("path").map(|p| p.split('/').map(url_decode).collect()).unwrap_or_default();
            proptest::prop_assert!(!decoded.iter().any(|s| s == "." || s == ".."), "{decoded:?}");
        }
        Ok(())
    }
}
