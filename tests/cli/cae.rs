//! Continuous Access Evaluation from the command line: a claims challenge that Azure DevOps
//! sent Git (passed on to the helper as `wwwauth[]`) or a script (`token --claims`) is met
//! silently, with a token request carrying the claims, as the window does.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;

use connector_core::model::installation::{InstallInput, InstallationId, OwnApp};

use super::support::{shared_install, Port, ScriptedWindows, User};
use super::{command, keychain_access_token, run, setup, text, Setup};

/// Signs in contoso / Website with the fake's Entra app as the user's own (the Library's
/// shared legacy app goes first: with one, every install uses it).
async fn entra_install(s: &Setup) -> InstallationId {
    s.window.library.clear("azure-devops").await.unwrap();
    let client_id = s.fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".into(), client_id), ("scopes".into(), "vso.work_full vso.project".into())]);
    let input = InstallInput { own_app: Some(OwnApp { auth_type: "entra".into(), values, secret: None }), ..shared_install() };
    s.window.sign_in.run(&input, &Port(ScriptedWindows::new(User::Consents("accept")))).await.unwrap().installation.id
}

/// What Azure DevOps answers a challenged token: its `WWW-Authenticate` header, and the status.
async fn devops_answer(s: &Setup, token: &str) -> (u16, String) {
    let url = format!("{}/_apis/profile/profiles/me?api-version=7.1", s.fake.base_url());
    let r = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
    let header = r.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (r.status().as_u16(), header)
}

fn carries_challenge(s: &Setup) -> bool {
    s.fake.with(|w| w.token_claims.last().is_some_and(|c| c.contains("\"nbf\"") && c.contains("CP1")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claims_challenge_is_met_silently_by_the_git_helper_and_by_token() {
    let s = setup().await;
    let id = entra_install(&s).await;

    // Git: Azure DevOps challenged its token; Git asks the helper again with the header.
    s.fake.with(|w| w.challenge_by_continuous_access_evaluation());
    let old = keychain_access_token(&s, &id).await;
    let (status, challenge) = devops_answer(&s, &old).await;
    assert_eq!(status, 401, "{challenge}");
    assert!(challenge.contains("insufficient_claims"), "{challenge}");
    let before = s.fake.token_requests();
    let mut git = command(&s, &["git-credential", "get"]).stdin(Stdio::piped()).spawn().unwrap();
    let request = format!("protocol=https\nhost=dev.azure.com\npath=contoso/Website/_git/Website\nwwwauth[]={challenge}\n\n");
    git.stdin.take().unwrap().write_all(request.as_bytes()).unwrap();
    let answered = git.wait_with_output().unwrap();
    let out = text(&answered.stdout);
    let new = keychain_access_token(&s, &id).await;
    assert!(new != old && out.lines().any(|l| l == format!("password={new}")), "a new token for Git: {out} {}", text(&answered.stderr));
    assert_eq!(s.fake.token_requests(), before + 1, "one silent request");
    assert!(carries_challenge(&s), "with the challenge's claims");
    assert_eq!(devops_answer(&s, &new).await.0, 200, "Azure DevOps takes it");

    // A script: the same with `token --claims`.
    s.fake.with(|w| w.challenge_by_continuous_access_evaluation());
    let (_, challenge) = devops_answer(&s, &new).await;
    let claims = challenge.split("claims=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    let printed = run(&s, &["token", "--claims", &claims]);
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let third = text(&printed.stdout).trim().to_string();
    assert_ne!(third, new);
    assert_eq!(devops_answer(&s, &third).await.0, 200);
    assert_eq!(s.window.installations.get(&id).unwrap().needs_reauth, None, "never asked to sign in");
}
