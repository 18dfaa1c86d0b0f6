//! Azure DevOps REST: the calls the connector makes, with the real service's
//! failure shapes (203 + HTML for a rejected token, TF400813, TF200016). Who may call is
//! checked in `caller.rs`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::caller::caller;
use crate::world::World;
use crate::Shared;

type Params = HashMap<String, String>;

/// The standard Azure DevOps error envelope.
pub(crate) fn vss_error(status: StatusCode, message: &str, type_key: &str) -> Response {
    (
        status,
        Json(json!({
            "$id": "1", "innerException": null, "message": message,
            "typeName": format!("Microsoft.VisualStudio.Services.WebApi.{type_key}, Microsoft.VisualStudio.Services.WebApi"),
            "typeKey": type_key, "errorCode": 0, "eventId": 3000
        })),
    )
        .into_response()
}

macro_rules! caller_or_return {
    ($e:expr) => {
        match $e {
            Ok(g) => g,
            Err(r) => return r,
        }
    };
}

pub async fn profile_me(State(shared): State<Shared>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let mut world = shared.lock().unwrap();
    let grant = caller_or_return!(caller(&mut world, &headers, &q, &["vso.profile"], None));
    let user = world.user(&grant.user_id).expect("grants name real users");
    // The 7.1 profile has the name and email only in its detailed form.
    if !q.get("details").is_some_and(|d| d.eq_ignore_ascii_case("true")) {
        return Json(
            json!({ "publicAlias": user.id, "coreRevision": 1, "timeStamp": "2026-11-01T00:00:00+00:00", "id": user.id, "revision": 1 }),
        )
        .into_response();
    }
    Json(json!({
        "displayName": user.display_name, "publicAlias": user.id, "emailAddress": user.email,
        "coreRevision": 1, "timeStamp": "2026-11-01T00:00:00+00:00", "id": user.id, "revision": 1
    }))
    .into_response()
}

pub async fn accounts(State(shared): State<Shared>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let mut world = shared.lock().unwrap();
    let grant = caller_or_return!(caller(&mut world, &headers, &q, &["vso.profile"], None));
    let Some(member) = q.get("memberId").or_else(|| q.get("ownerId")) else {
        // The real service's words (microsoft/vsts-rest-api-specs#240).
        return vss_error(
            StatusCode::BAD_REQUEST,
            "Necessary parameters ownerId or memberId were not provided in the request.",
            "ArgumentException",
        );
    };
    let user = world.user(&grant.user_id).expect("grants name real users");
    let value: Vec<Value> = if member.eq_ignore_ascii_case(&user.id) {
        world
            .organizations
            .iter()
            .filter(|o| user.organizations.iter().any(|n| n.eq_ignore_ascii_case(&o.name)))
            .map(|o| json!({ "accountId": o.id, "accountUri": format!("https://vssps.dev.azure.com/{}/", o.name), "accountName": o.name, "properties": {} }))
            .collect()
    } else {
        Vec::new()
    };
    Json(json!({ "count": value.len(), "value": value })).into_response()
}

fn project_json(org: &str, p: &crate::world::Project) -> Value {
    json!({
        "id": p.id, "name": p.name, "url": format!("https://dev.azure.com/{org}/_apis/projects/{}", p.id),
        "state": "wellFormed", "revision": 1, "visibility": "private", "lastUpdateTime": "2026-11-01T00:00:00Z"
    })
}

fn find_project<'a>(world: &'a World, org: &str, name: &str) -> Result<&'a crate::world::Project, Response> {
    world
        .organization(org)
        .and_then(|o| o.projects.iter().find(|p| p.name.eq_ignore_ascii_case(name) || p.id.eq_ignore_ascii_case(name)))
        .ok_or_else(|| {
            vss_error(
                StatusCode::NOT_FOUND,
                &format!("TF200016: The following project does not exist: {name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server."),
                "ProjectDoesNotExistWithNameException",
            )
        })
}

/// Projects - List: the organization's projects, `$top` of them (the app always sends it).
pub async fn projects(State(shared): State<Shared>, Path(org): Path<String>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let mut world = shared.lock().unwrap();
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.profile", "vso.project"], Some(&org)));
    let top = q.get("$top").and_then(|t| t.parse::<usize>().ok()).unwrap_or(100);
    let value: Vec<Value> =
        world.organization(&org).map(|o| o.projects.iter().take(top).map(|p| project_json(&org, p)).collect()).unwrap_or_default();
    Json(json!({ "count": value.len(), "value": value })).into_response()
}

pub async fn project(
    State(shared): State<Shared>,
    Path((org, name)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<Params>,
) -> Response {
    let mut world = shared.lock().unwrap();
    // The spec lists vso.profile and vso.project; either is accepted (whether both are needed is UNCONFIRMED).
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.profile", "vso.project"], Some(&org)));
    match find_project(&world, &org, &name) {
        Ok(p) => Json(project_json(&org, p)).into_response(),
        Err(r) => r,
    }
}

fn work_item_json(org: &str, project: &str, w: &crate::world::WorkItem) -> Value {
    json!({
        "id": w.id, "rev": 1,
        "fields": { "System.TeamProject": project, "System.WorkItemType": w.work_item_type, "System.Title": w.title, "System.State": w.state },
        "url": format!("https://dev.azure.com/{org}/_apis/wit/workItems/{}", w.id)
    })
}

pub async fn wiql(
    State(shared): State<Shared>,
    Path((org, project)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<Params>,
    body: String,
) -> Response {
    let mut world = shared.lock().unwrap();
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.work"], Some(&org)));
    let p = match find_project(&world, &org, &project) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let query_ok = serde_json::from_str::<Value>(&body).ok().and_then(|v| v.get("query").and_then(Value::as_str).map(str::to_string));
    let Some(query) = query_ok else {
        return vss_error(StatusCode::BAD_REQUEST, "VS402336: A WIQL query is required in the request body.", "ArgumentException");
    };
    if !query.to_ascii_uppercase().contains("FROM WORKITEMS") {
        return vss_error(StatusCode::BAD_REQUEST, "VS402327: The WIQL query is not valid.", "WorkItemTrackingQueryException");
    }
    // Without $top, more than 20,000 results is an error, not a silent cut (VS402337, observed).
    let top = q.get("$top").and_then(|t| t.parse::<usize>().ok());
    if query.chars().count() > 32_768 {
        return vss_error(
            StatusCode::BAD_REQUEST,
            "VS402338: The WIQL query is too long: it can be at most 32768 characters.",
            "WorkItemTrackingQueryException",
        );
    }
    let Some(filter) = crate::wiql::Filter::parse(&query) else {
        return vss_error(StatusCode::BAD_REQUEST, "VS402327: The WIQL query is not valid.", "WorkItemTrackingQueryException");
    };
    let mut matching: Vec<_> = p.work_items.iter().filter(|w| filter.matches(w)).collect();
    if top.is_none() && matching.len() > 20_000 {
        return vss_error(
            StatusCode::BAD_REQUEST,
            "VS402337: The number of work items returned exceeds the size limit of 20000. Change the query to return fewer items.",
            "WorkItemTrackingQueryResultSizeLimitExceededException",
        );
    }
    if filter.newest_first {
        matching.reverse();
    }
    let items: Vec<Value> = matching
        .into_iter()
        .take(top.unwrap_or(usize::MAX))
        .map(|w| json!({ "id": w.id, "url": format!("https://dev.azure.com/{org}/_apis/wit/workItems/{}", w.id) }))
        .collect();
    Json(json!({ "queryType": "flat", "queryResultType": "workItem", "asOf": "2026-11-27T00:00:00Z", "workItems": items })).into_response()
}

pub async fn work_items(
    State(shared): State<Shared>,
    Path((org, project)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Query<Params>,
) -> Response {
    let mut world = shared.lock().unwrap();
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.work"], Some(&org)));
    let p = match find_project(&world, &org, &project) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let ids: Vec<u64> = q.get("ids").map(|s| s.split(',').filter_map(|i| i.trim().parse().ok()).collect()).unwrap_or_default();
    if ids.is_empty() {
        return vss_error(StatusCode::BAD_REQUEST, "VS403496: The ids parameter is required.", "ArgumentException");
    }
    if ids.len() > 200 {
        return vss_error(
            StatusCode::BAD_REQUEST,
            "VS403474: The maximum number of work items that can be requested is 200.",
            "ArgumentException",
        );
    }
    let omit = q.get("errorPolicy").is_some_and(|e| e.eq_ignore_ascii_case("omit"));
    let mut value = Vec::new();
    for id in ids {
        match p.work_items.iter().find(|w| w.id == id) {
            Some(w) => value.push(work_item_json(&org, &p.name, w)),
            None if omit => value.push(Value::Null),
            None => {
                return vss_error(
                    StatusCode::NOT_FOUND,
                    &format!("TF401232: Work item {id} does not exist, or you do not have permissions to read it."),
                    "WorkItemUnauthorizedAccessException",
                )
            }
        }
    }
    Json(json!({ "count": value.len(), "value": value })).into_response()
}

pub async fn work_item(
    State(shared): State<Shared>,
    Path((org, project, id)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(q): Query<Params>,
) -> Response {
    let mut world = shared.lock().unwrap();
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.work"], Some(&org)));
    let p = match find_project(&world, &org, &project) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match id.parse::<u64>().ok().and_then(|id| p.work_items.iter().find(|w| w.id == id)) {
        Some(w) => Json(work_item_json(&org, &p.name, w)).into_response(),
        None => vss_error(
            StatusCode::NOT_FOUND,
            &format!("TF401232: Work item {id} does not exist, or you do not have permissions to read it."),
            "WorkItemUnauthorizedAccessException",
        ),
    }
}

pub async fn create_work_item(
    State(shared): State<Shared>,
    Path((org, project, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(q): Query<Params>,
    body: String,
) -> Response {
    let mut world = shared.lock().unwrap();
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.work_write"], Some(&org)));
    let patch_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json-patch+json"));
    if !patch_type {
        return vss_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "VS402370: Work item changes must be sent as application/json-patch+json.",
            "UnsupportedMediaTypeException",
        );
    }
    // The path segment is a literal `$` followed by the type name.
    let Some(kind) = kind.strip_prefix('$').filter(|k| !k.is_empty()).map(str::to_string) else {
        return vss_error(StatusCode::BAD_REQUEST, "VS402323: Work item type must be given as ${type}.", "ArgumentException");
    };
    let ops: Vec<Value> = serde_json::from_str(&body).unwrap_or_default();
    let title = ops
        .iter()
        .find(|op| op["op"] == "add" && op["path"] == "/fields/System.Title")
        .and_then(|op| op["value"].as_str())
        .map(str::to_string);
    let Some(title) = title.filter(|t| !t.trim().is_empty()) else {
        return vss_error(
            StatusCode::BAD_REQUEST,
            "TF401320: Rule Error for field Title. Error code: Required, HasValues, LimitedToValues.",
            "RuleValidationException",
        );
    };
    let next_id =
        world.organizations.iter().flat_map(|o| o.projects.iter()).flat_map(|p| p.work_items.iter()).map(|w| w.id).max().unwrap_or(0) + 1;
    let Some(p) = world
        .organization_mut(&org)
        .and_then(|o| o.projects.iter_mut().find(|p| p.name.eq_ignore_ascii_case(&project) || p.id.eq_ignore_ascii_case(&project)))
    else {
        return vss_error(
            StatusCode::NOT_FOUND,
            &format!("TF200016: The following project does not exist: {project}."),
            "ProjectDoesNotExistWithNameException",
        );
    };
    let description = ops
        .iter()
        .find(|op| op["op"] == "add" && op["path"] == "/fields/System.Description")
        .and_then(|op| op["value"].as_str())
        .unwrap_or_default()
        .to_string();
    let item = crate::world::WorkItem { id: next_id, work_item_type: kind, title, state: "New".into(), description };
    let body = work_item_json(&org, &p.name, &item);
    p.work_items.push(item);
    Json(body).into_response()
}

pub async fn audit_log(State(shared): State<Shared>, Path(org): Path<String>, headers: HeaderMap, Query(q): Query<Params>) -> Response {
    let mut world = shared.lock().unwrap();
    caller_or_return!(caller(&mut world, &headers, &q, &["vso.auditlog"], Some(&org)));
    // The audit API is in preview: a version without `-preview` is refused.
    if !q.get("api-version").is_some_and(|v| v.contains("-preview")) {
        return vss_error(StatusCode::BAD_REQUEST, "The requested version of the resource is under preview. The -preview flag must be supplied in the api-version for such requests.", "VssInvalidPreviewVersionException");
    }
    // Pages of `batchSize` (default 200); the continuation token is where the next page starts.
    let entries = world.organization(&org).map(|o| o.audit_entries.clone()).unwrap_or_default();
    let batch = q.get("batchSize").and_then(|b| b.parse::<usize>().ok()).filter(|b| *b > 0).unwrap_or(200);
    let start = match q.get("continuationToken") {
        Some(t) => match t.parse::<usize>() {
            Ok(n) if n <= entries.len() => n,
            _ => return vss_error(StatusCode::BAD_REQUEST, "The continuation token is not valid.", "InvalidContinuationTokenException"),
        },
        None => 0,
    };
    let end = (start + batch).min(entries.len());
    let more = end < entries.len();
    Json(json!({
        "decoratedAuditLogEntries": entries[start..end],
        "continuationToken": if more { Value::String(end.to_string()) } else { Value::Null },
        "hasMore": more
    }))
    .into_response()
}

/// Tenant discovery: an unauthenticated HEAD on the organization URL answers
/// 401 with the org's tenant in `X-VSS-ResourceTenant` (Git Credential Manager reads it).
pub async fn org_head(State(shared): State<Shared>, Path(org): Path<String>, headers: HeaderMap) -> Response {
    let mut world = shared.lock().unwrap();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let seen = (header("accept"), header("x-tfs-fedauthredirect"));
    world.discovery_requests.push(seen);
    match world.organization(&org) {
        Some(o) => (
            StatusCode::UNAUTHORIZED,
            [
                ("X-VSS-ResourceTenant", o.tenant_id.clone()),
                ("WWW-Authenticate", format!("Bearer authorization_uri=https://login.microsoftonline.com/{}", o.tenant_id)),
            ],
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Adds the headers a slow-down fault left for the answer being made, whatever it is.
pub async fn slow_down(State(shared): State<Shared>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(request).await;
    let extra = std::mem::take(&mut shared.lock().unwrap().answer_headers);
    for (name, value) in extra {
        if let (Ok(n), Ok(v)) = (header::HeaderName::try_from(name), header::HeaderValue::try_from(value)) {
            response.headers_mut().insert(n, v);
        }
    }
    response
}
