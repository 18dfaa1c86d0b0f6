//! Continuous Access Evaluation, as Microsoft's CAE guide and MSAL handle it: a claims
//! challenge is answered silently first (a refresh-token request carrying the claims), and
//! only when Microsoft demands the user does the installation need a sign-in, which then
//! asks for the challenge's claims.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::MethodId;
use connector_core::model::installation::{InstallInput, Installation, InstallationId, OwnApp};
use connector_core::services::methods::MethodRequest;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{opener, shared_install, MemoryStore, Port, ScriptedWindows, User};

async fn setup() -> (FakeMicrosoft, Arc<Services>, tempfile::TempDir) {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = opener(Arc::new(MemoryStore::default()));
    let services = Arc::new(Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), store));
    (fake, services, dir)
}

fn entra(fake: &FakeMicrosoft, reauth: Option<InstallationId>) -> InstallInput {
    let client_id = fake.with(|w| w.entra_apps[0].client_id.clone());
    let values = BTreeMap::from([("client_id".into(), client_id), ("scopes".into(), "vso.work_full vso.project".into())]);
    InstallInput { own_app: Some(OwnApp { auth_type: "entra".into(), values, secret: None }), reauth, ..shared_install() }
}

async fn sign_in(s: &Services, input: &InstallInput) -> Installation {
    s.sign_in.run(input, &Port(ScriptedWindows::new(User::Consents("accept")))).await.unwrap().installation
}

fn profile(id: &InstallationId) -> MethodRequest {
    MethodRequest { installation: id.clone(), method: MethodId::GetProfile, inputs: BTreeMap::new() }
}

/// Whether a token request's `claims` carried the fake's challenge (its essential `nbf`) and CP1.
fn carries_challenge(claims: &str) -> bool {
    claims.contains("\"nbf\"") && claims.contains("CP1")
}

#[tokio::test]
async fn a_challenge_the_session_survives_is_met_silently_with_no_sign_in() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &entra(&fake, None)).await.id;
    let (tokens_before, windows_before) = (fake.token_requests(), fake.with(|w| w.authorize_requests.len()));
    // The laptop moved to another network: Azure DevOps challenges the token.
    fake.with(|w| w.challenge_by_continuous_access_evaluation());
    let out = s.methods.run(&profile(&id), None).await.expect("answered silently");
    assert!(!out.rows.is_empty());
    assert_eq!(fake.token_requests(), tokens_before + 1, "one silent token request");
    assert!(carries_challenge(fake.with(|w| w.token_claims.last().cloned()).unwrap().as_str()), "with the challenge's claims");
    assert_eq!(fake.with(|w| w.authorize_requests.len()), windows_before, "no interactive sign-in");
    let i = s.installations.get(&id).unwrap();
    assert_eq!((i.needs_reauth, i.claims), (None, None), "still connected");
}

#[tokio::test]
async fn a_challenge_after_the_session_ended_asks_for_a_sign_in_with_those_claims() {
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &entra(&fake, None)).await.id;
    // A password reset: the refresh token is revoked too.
    fake.with(|w| w.revoke_by_continuous_access_evaluation());
    let before = fake.token_requests();
    let err = s.methods.run(&profile(&id), None).await.unwrap_err();
    assert_eq!(err.code(), "needs_reauth");
    assert!(err.to_string().contains("requires you to sign in again"), "{err}");
    assert_eq!(fake.token_requests(), before + 1, "the silent request first, refused");
    assert!(carries_challenge(&fake.with(|w| w.token_claims.last().cloned()).unwrap()));
    assert!(s.installations.get(&id).unwrap().claims.is_some(), "kept for Re-authenticate");
    // Re-authenticate asks for the challenge's claims, with the CP1 capability.
    let again = sign_in(&s, &entra(&fake, Some(id.clone()))).await;
    let claims = fake.with(|w| w.authorize_requests.last().unwrap()["claims"].clone());
    assert!(carries_challenge(&claims), "{claims}");
    assert_eq!((again.id.as_str(), again.claims), (id.as_str(), None));
    s.methods.run(&profile(&id), None).await.unwrap();
}

#[tokio::test]
async fn a_refresh_without_the_claims_does_not_satisfy_the_fake() {
    // Guards the fake itself: an app that refreshed blindly would be challenged again, so a
    // passing silent test can't come from a fake that accepts any refresh.
    let (fake, s, _dir) = setup().await;
    let id = sign_in(&s, &entra(&fake, None)).await.id;
    fake.with(|w| w.challenge_by_continuous_access_evaluation());
    s.tokens.refresh(&id).await.unwrap();
    let err = s.methods.run(&profile(&id), None).await;
    let requests = fake.with(|w| w.token_claims.clone());
    assert!(!carries_challenge(&requests[requests.len() - 2]), "the plain refresh carried no challenge");
    assert!(err.is_ok(), "the app's own silent answer (with the claims) still connects: {err:?}");
    assert!(carries_challenge(requests.last().unwrap()));
}
