//! Work items: a WIQL query, reading by id in batches of 200 (Azure DevOps'
//! limit, `VS403474` beyond it) sent concurrently, and creating one with a JSON Patch document.

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::{json, Value};

use super::{Call, DevOps, API_VERSION};
use crate::error::Error;
use crate::secret::AccessToken;

/// Azure DevOps reads at most this many work items per request.
pub const MAX_IDS: usize = 200;
/// A query shows at most this many items; more are reported as "more results".
pub const MAX_QUERY_RESULTS: usize = 1000;
/// Reads sent at once: a query's most (1,000 ids) in one round trip, while a long list
/// of ids (Get, up to 10,000) never has more than five requests open against the
/// organization, which Azure DevOps' rate limits count in cost over time, not per request.
pub const MAX_CONCURRENT_READS: usize = MAX_QUERY_RESULTS / MAX_IDS;

const READ: &[&str] = &["vso.work"];
const WRITE: &[&str] = &["vso.work_write"];
const FIELDS: &str = "System.Id,System.WorkItemType,System.Title,System.State";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WorkItem {
    pub id: u64,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub state: String,
}

/// The ids a query matched, and whether it matched more than are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItemQuery {
    pub ids: Vec<u64>,
    pub more: bool,
}

pub struct NewWorkItem<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

fn work_item(v: &Value) -> Option<WorkItem> {
    let fields = v.get("fields")?;
    let field = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Some(WorkItem {
        id: v.get("id")?.as_u64()?,
        kind: field("System.WorkItemType"),
        title: field("System.Title"),
        state: field("System.State"),
    })
}

impl DevOps<'_> {
    /// Runs a WIQL query in the project; returns up to `MAX_QUERY_RESULTS` ids.
    pub async fn query_work_items(&self, token: &AccessToken, org: &str, project: &str, wiql: &str) -> Result<WorkItemQuery, Error> {
        let mut url = Self::url(&self.endpoints.devops, &[org, project, "_apis", "wit", "wiql"], API_VERSION)?;
        url.query_pairs_mut().append_pair("$top", &(MAX_QUERY_RESULTS + 1).to_string());
        let call = Call { needs: READ, org, project: Some(project) };
        let v = self.send(self.http.post(url).json(&json!({ "query": wiql })), token, &call).await?;
        let mut ids: Vec<u64> = v
            .get("workItems")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|w| w.get("id")?.as_u64()).collect())
            .unwrap_or_default();
        let more = ids.len() > MAX_QUERY_RESULTS;
        ids.truncate(MAX_QUERY_RESULTS);
        Ok(WorkItemQuery { ids, more })
    }

    /// Reads work items by id, `MAX_IDS` per request and up to `MAX_CONCURRENT_READS`
    /// requests at once, in the order asked.
    pub async fn work_items(&self, token: &AccessToken, org: &str, project: &str, ids: &[u64]) -> Result<Vec<WorkItem>, Error> {
        // The reads are made here and only polled below: a stream that made them as it went
        // would hold a closure over borrowed ids, which the window's Send futures can't carry.
        let reads: Vec<_> = ids.chunks(MAX_IDS).map(|batch| self.read_batch(token, org, project, batch)).collect();
        let read: Vec<Vec<WorkItem>> = stream::iter(reads).buffered(MAX_CONCURRENT_READS).try_collect().await?;
        Ok(read.concat())
    }

    async fn read_batch(&self, token: &AccessToken, org: &str, project: &str, batch: &[u64]) -> Result<Vec<WorkItem>, Error> {
        let mut url = Self::url(&self.endpoints.devops, &[org, project, "_apis", "wit", "workitems"], API_VERSION)?;
        let list: Vec<String> = batch.iter().map(u64::to_string).collect();
        url.query_pairs_mut().append_pair("ids", &list.join(",")).append_pair("fields", FIELDS).append_pair("errorPolicy", "omit");
        let call = Call { needs: READ, org, project: Some(project) };
        let v = self.send(self.http.get(url), token, &call).await?;
        Ok(v.get("value").and_then(Value::as_array).into_iter().flatten().filter_map(work_item).collect())
    }

    pub async fn create_work_item(&self, token: &AccessToken, org: &str, project: &str, new: &NewWorkItem<'_>) -> Result<WorkItem, Error> {
        let kind = format!("${}", new.kind);
        let url = Self::url(&self.endpoints.devops, &[org, project, "_apis", "wit", "workitems", &kind], API_VERSION)?;
        let mut patch = vec![json!({ "op": "add", "path": "/fields/System.Title", "value": new.title })];
        if !new.description.is_empty() {
            patch.push(json!({ "op": "add", "path": "/fields/System.Description", "value": description_html(new.description) }));
        }
        let req =
            self.http.post(url).header(reqwest::header::CONTENT_TYPE, "application/json-patch+json").body(Value::Array(patch).to_string());
        let call = Call { needs: WRITE, org, project: Some(project) };
        let v = self.send(req, token, &call).await?;
        work_item(&v).ok_or_else(|| Error::UnexpectedResponse { detail: "the created work item had no id".into() })
    }
}
/// `System.Description` is an HTML field: plain text is escaped and its line
/// breaks kept as `<br>`, so what was typed is what Azure DevOps shows.
pub fn description_html(text: &str) -> String {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    escaped.replace("\r\n", "\n").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_description_becomes_html_with_its_line_breaks() {
        assert_eq!(
            description_html("Steps:\r\n1. <open> & \"save\"\n2. done"),
            "Steps:<br>1. &lt;open&gt; &amp; &quot;save&quot;<br>2. done"
        );
    }
}
