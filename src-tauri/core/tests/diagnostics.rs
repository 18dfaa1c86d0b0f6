//! The diagnostics bundle after a whole flow (library, sign-in, refresh, a
//! method) holds none of the flow's secrets, tokens, codes, emails or user ids,
//! even when they reached the log.

mod support;

use std::sync::Arc;

use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::MethodId;
use connector_core::services::diagnostics::{bundle, save, Environment};
use connector_core::services::methods::MethodRequest;
use connector_core::store::keychain::SecretStore;
use connector_core::Services;
use fake_microsoft::{FakeMicrosoft, World};
use support::{consent, opener, run_as_user, share_demo_app, shared_install, MemoryStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_holds_no_secret_token_code_email_or_user_id() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::default());
    let s = Services::with_store_opener(dir.path(), Endpoints::under(fake.base_url()).unwrap(), opener(store.clone()));
    share_demo_app(&s, &fake).await;
    let mut code = String::new();
    let kept = &mut code;
    let id = run_as_user(&s, &shared_install(), |authorize| async move {
        let callback = consent(&authorize, "accept").await;
        *kept = url::Url::parse(&callback).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
        Some(callback)
    })
    .await
    .unwrap()
    .installation
    .id;
    let first_tokens = store.get(&format!("installation/{id}/tokens")).unwrap().unwrap().expose().to_string();
    s.tokens.refresh(&id).await.unwrap();
    let req = MethodRequest { installation: id.clone(), method: MethodId::GetProfile, inputs: Default::default() };
    s.methods.run(&req, None).await.unwrap();
    let tokens = store.get(&format!("installation/{id}/tokens")).unwrap().unwrap().expose().to_string();
    let secret = fake.with(|w| w.legacy_apps[0].client_secret.clone());
    let (email, user_id) = fake.with(|w| (w.users[0].email.clone(), w.users[0].id.clone()));
    let mut secrets: Vec<String> = vec![secret, code, email, user_id];
    for t in [&first_tokens, &tokens] {
        let v: serde_json::Value = serde_json::from_str(t).unwrap();
        secrets.push(v["a"].as_str().unwrap().to_string());
        secrets.push(v["r"].as_str().unwrap().to_string());
    }
    // The worst case: every one of them leaked into the log.
    let log = dir.path().join("app.log");
    let leaked: String = secrets.iter().map(|x| format!("2026-11-27 INFO something printed {x} by mistake\n")).collect();
    std::fs::write(&log, format!("2026-11-27 INFO starting\n{leaked}")).unwrap();
    let env = Environment { os: "Debian GNU/Linux 12".into(), webview: "2.48".into(), log_file: log };
    let text = bundle(&s.state, &s.tokens, &env).await;
    for x in &secrets {
        assert!(!text.contains(x.as_str()), "the bundle holds {x}:\n{text}");
    }
    assert!(text.contains("contoso / Website") && text.contains("status connected") && text.contains("keychain:"), "{text}");
    assert!(text.contains("by mistake"), "the log lines are there, redacted");
    let out = tempfile::tempdir().unwrap();
    let first = save(out.path(), &text).unwrap();
    let second = save(out.path(), &text).unwrap();
    assert_ne!(first, second, "never overwrites");
}
