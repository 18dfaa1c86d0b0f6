//! Azure DevOps REST: scopes (with inclusion), 203 pages, TF400813, TF200016, limits.

mod common;

use common::*;
use fake_microsoft::FakeMicrosoft;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn get(fake: &FakeMicrosoft, path: &str, token: &str) -> reqwest::Response {
    client().get(format!("{}{path}", fake.base_url())).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn ready_for_use_sequence_works_with_work_full() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let me: Value = get(&fake, "/_apis/profile/profiles/me?details=true&api-version=7.1", &access).await.json().await.unwrap();
    assert_eq!(me["displayName"], "Dana Developer");
    let brief: Value = get(&fake, "/_apis/profile/profiles/me?api-version=7.1", &access).await.json().await.unwrap();
    assert!(brief.get("displayName").is_none() && brief.get("emailAddress").is_none(), "only the detailed form has them: {brief}");
    let id = me["id"].as_str().unwrap();
    let accounts: Value = get(&fake, &format!("/_apis/accounts?memberId={id}&api-version=7.1"), &access).await.json().await.unwrap();
    let names: Vec<&str> = accounts["value"].as_array().unwrap().iter().map(|a| a["accountName"].as_str().unwrap()).collect();
    assert_eq!(names, ["contoso", "contoso-legacy"]);
    let project = get(&fake, "/contoso/_apis/projects/Fabrikam%20Fiber?api-version=7.1", &access).await;
    assert_eq!(project.status(), StatusCode::OK);
    assert_eq!(project.json::<Value>().await.unwrap()["name"], "Fabrikam Fiber");
}

#[tokio::test]
async fn a_rejected_token_gets_203_with_an_html_sign_in_page() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    for (scheme, token) in [("Bearer", "garbage"), ("jwt-bearer", access.as_str())] {
        let r = client()
            .get(format!("{}/_apis/profile/profiles/me?api-version=7.1", fake.base_url()))
            .header("authorization", format!("{scheme} {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NON_AUTHORITATIVE_INFORMATION, "{scheme}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(r.text().await.unwrap().contains("Sign In"));
    }
    fake.with(|w| w.expire_all_access_tokens());
    let expired = get(&fake, "/_apis/profile/profiles/me?api-version=7.1", &access).await;
    assert_eq!(expired.status(), StatusCode::NON_AUTHORITATIVE_INFORMATION);
}

#[tokio::test]
async fn a_missing_scope_gets_401_with_the_generic_tf400813() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    // vso.work_full + vso.project: no vso.auditlog. Azure DevOps names no scope, only TF400813.
    let r = get(&fake, "/audit/contoso/_apis/audit/auditlog?api-version=7.1-preview.1", &access).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("TF400813"), "{body}");
}

#[tokio::test]
async fn the_suppress_header_turns_the_sign_in_page_into_a_401() {
    let fake = demo().await;
    let url = format!("{}/_apis/profile/profiles/me?api-version=7.1", fake.base_url());
    let r = client().get(&url).bearer_auth("garbage").header("X-TFS-FedAuthRedirect", "Suppress").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&fake, "/_apis/profile/profiles/me?api-version=7.1", "garbage").await.status(),
        StatusCode::NON_AUTHORITATIVE_INFORMATION
    );
}

#[tokio::test]
async fn throttling_answers_429_and_503_with_retry_after_then_serves() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    fake.with(|w| {
        w.rest_faults.push_back(fake_microsoft::RestFault::TooManyRequests { retry_after_secs: 2 });
        w.rest_faults.push_back(fake_microsoft::RestFault::Unavailable { retry_after_secs: 1 });
    });
    let path = "/_apis/profile/profiles/me?api-version=7.1";
    let first = get(&fake, path, &access).await;
    assert_eq!((first.status(), first.headers()["retry-after"].to_str().unwrap()), (StatusCode::TOO_MANY_REQUESTS, "2"));
    let second = get(&fake, path, &access).await;
    assert_eq!((second.status(), second.headers()["retry-after"].to_str().unwrap()), (StatusCode::SERVICE_UNAVAILABLE, "1"));
    assert_eq!(get(&fake, path, &access).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn wiql_filters_the_projects_items_and_orders_them() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let url = format!("{}/contoso/Website/_apis/wit/wiql?api-version=7.1", fake.base_url());
    let query = |q: &str| client().post(&url).bearer_auth(&access).json(&json!({ "query": q })).send();
    let all: Value = query("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project ORDER BY [System.Id] DESC")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<u64> = all["workItems"].as_array().unwrap().iter().map(|w| w["id"].as_u64().unwrap()).collect();
    assert!(ids.len() >= 3 && ids.windows(2).all(|p| p[0] > p[1]), "newest first: {ids:?}");
    let tasks: Value =
        query("SELECT [System.Id] FROM WorkItems WHERE [System.WorkItemType] = 'Task' AND [System.Title] CONTAINS 'keychain'")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(tasks["workItems"].as_array().unwrap().len(), 1);
    assert_eq!(query("SELECT [System.Id] FROM WorkItems WHERE [Nope] ~ 1").await.unwrap().status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_audit_log_pages_with_continuation_tokens() {
    let fake = demo().await;
    fake.with(|w| {
        w.legacy_apps[0].scopes.push("vso.auditlog".into());
        let entry = w.organization("contoso").unwrap().audit_entries[0].clone();
        w.organization_mut("contoso").unwrap().audit_entries = vec![entry; 5];
    });
    let (access, _) = legacy_tokens(&fake).await;
    let base = "/audit/contoso/_apis/audit/auditlog?api-version=7.1-preview.1&batchSize=2";
    let mut seen = 0;
    let mut token: Option<String> = None;
    for _ in 0..3 {
        let path = match &token {
            Some(t) => format!("{base}&continuationToken={t}"),
            None => base.to_string(),
        };
        let page: Value = get(&fake, &path, &access).await.json().await.unwrap();
        seen += page["decoratedAuditLogEntries"].as_array().unwrap().len();
        token = page["continuationToken"].as_str().map(str::to_string);
        assert_eq!(page["hasMore"], token.is_some());
    }
    assert_eq!((seen, token), (5, None));
}

#[tokio::test]
async fn org_policy_off_blocks_legacy_tokens_with_tf400813_but_not_entra() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let r = get(&fake, "/contoso-legacy/_apis/projects/Archive?api-version=7.1", &access).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("TF400813"));
    fake.with(|w| w.organization_mut("contoso-legacy").unwrap().third_party_oauth = true);
    assert_eq!(get(&fake, "/contoso-legacy/_apis/projects/Archive?api-version=7.1", &access).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn missing_project_is_404_tf200016() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let r = get(&fake, "/contoso/_apis/projects/Nope?api-version=7.1", &access).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("TF200016"));
    assert_eq!(body["typeKey"], "ProjectDoesNotExistWithNameException");
}

#[tokio::test]
async fn projects_list_names_the_organizations_projects_top_at_a_time() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let r = get(&fake, "/contoso/_apis/projects?api-version=7.1&$top=100", &access).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let names: Vec<&str> = body["value"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Website") && names.contains(&"Fabrikam Fiber"), "{names:?}");
    assert_eq!(body["count"], names.len());
    let one: Value = get(&fake, "/contoso/_apis/projects?api-version=7.1&$top=1", &access).await.json().await.unwrap();
    assert_eq!(one["count"], 1);
}

#[tokio::test]
async fn api_version_is_required() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    assert_eq!(get(&fake, "/_apis/profile/profiles/me", &access).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn work_items_wiql_get_and_the_200_id_limit() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let wiql: Value = client()
        .post(format!("{}/contoso/Fabrikam%20Fiber/_apis/wit/wiql?api-version=7.1&$top=2", fake.base_url()))
        .bearer_auth(&access)
        .json(&json!({"query": "SELECT [System.Id] FROM WorkItems"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(wiql["workItems"].as_array().unwrap().len(), 2);
    let items = get(&fake, "/contoso/Fabrikam%20Fiber/_apis/wit/workitems?ids=1,2&api-version=7.1", &access).await;
    assert_eq!(items.json::<Value>().await.unwrap()["count"], 2);
    let too_many: Vec<String> = (1..=201).map(|i| i.to_string()).collect();
    let r = get(&fake, &format!("/contoso/Fabrikam%20Fiber/_apis/wit/workitems?ids={}&api-version=7.1", too_many.join(",")), &access).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.json::<Value>().await.unwrap()["message"].as_str().unwrap().starts_with("VS403474"));
}

#[tokio::test]
async fn create_needs_json_patch_and_work_write() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let url = format!("{}/contoso/Fabrikam%20Fiber/_apis/wit/workitems/$Task?api-version=7.1", fake.base_url());
    let patch = json!([{"op": "add", "path": "/fields/System.Title", "value": "From the test"}]);
    let plain = client().post(&url).bearer_auth(&access).json(&patch).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let created = client()
        .post(&url)
        .bearer_auth(&access)
        .header("content-type", "application/json-patch+json")
        .body(patch.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["fields"]["System.Title"], "From the test");
    assert_eq!(body["fields"]["System.WorkItemType"], "Task");
}

#[tokio::test]
async fn audit_log_needs_its_scope_and_a_preview_version() {
    let fake = demo().await;
    fake.with(|w| w.legacy_apps[0].scopes.push("vso.auditlog".into()));
    let (access, _) = legacy_tokens(&fake).await;
    let stable = get(&fake, "/audit/contoso/_apis/audit/auditlog?api-version=7.1", &access).await;
    assert_eq!(stable.status(), StatusCode::BAD_REQUEST);
    let preview = get(&fake, "/audit/contoso/_apis/audit/auditlog?api-version=7.1-preview.1", &access).await;
    assert_eq!(preview.status(), StatusCode::OK);
    assert_eq!(preview.json::<Value>().await.unwrap()["decoratedAuditLogEntries"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_api_version_is_refused_not_ignored() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    for ok in ["7.1", "7.1-preview.1", "7.2-preview", "7.2-preview.1", "6.0"] {
        assert_eq!(get(&fake, &format!("/_apis/profile/profiles/me?api-version={ok}"), &access).await.status(), 200, "{ok}");
    }
    for bad in ["9.0", "7.3", "latest"] {
        let r = get(&fake, &format!("/_apis/profile/profiles/me?api-version={bad}"), &access).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["typeKey"], "VssVersionOutOfRangeException");
    }
}

#[tokio::test]
async fn version_7_2_is_preview_only() {
    let fake = demo().await;
    let (access, _) = legacy_tokens(&fake).await;
    let r = get(&fake, "/_apis/profile/profiles/me?api-version=7.2", &access).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["typeKey"], "VssInvalidPreviewVersionException");
}

#[tokio::test]
async fn wiql_over_20000_results_without_top_is_an_error_and_over_32k_characters_too() {
    let fake = demo().await;
    fake.with(|w| {
        let items = &mut w.organization_mut("contoso").unwrap().projects[1].work_items;
        let template = items[0].clone();
        items.extend((1..=20_001).map(|i| fake_microsoft::WorkItem { id: 10_000 + i, ..template.clone() }));
    });
    let (access, _) = legacy_tokens(&fake).await;
    let base = format!("{}/contoso/Website/_apis/wit/wiql", fake.base_url());
    let query = |url: String, q: String| client().post(url).bearer_auth(&access).json(&json!({ "query": q })).send();
    let all = "SELECT [System.Id] FROM WorkItems".to_string();
    let r = query(format!("{base}?api-version=7.1"), all.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("VS402337"), "{body}");
    let capped: Value = query(format!("{base}?api-version=7.1&$top=201"), all).await.unwrap().json().await.unwrap();
    assert_eq!(capped["workItems"].as_array().unwrap().len(), 201, "with $top it answers");
    let long = format!("SELECT [System.Id] FROM WorkItems WHERE [System.Title] CONTAINS '{}'", "x".repeat(32_768));
    assert_eq!(query(format!("{base}?api-version=7.1&$top=1"), long).await.unwrap().status(), StatusCode::BAD_REQUEST);
}
