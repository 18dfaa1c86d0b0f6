use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use connector_core::services::methods::{MethodOutput, MethodRequest, Methods};
use connector_core::sync::lock;
use connector_core::Error;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tokio::sync::Notify;
use ts_rs::TS;

use super::error::Answer;

/// Methods running now, by the run id the window chose, so Cancel can stop one.
#[derive(Default)]
pub struct MethodRuns(Mutex<HashMap<String, Arc<Notify>>>);

impl MethodRuns {
    fn start(&self, run: &str) -> Arc<Notify> {
        let cancel = Arc::new(Notify::new());
        lock(&self.0).insert(run.to_string(), cancel.clone());
        cancel
    }

    fn end(&self, run: &str) -> Option<Arc<Notify>> {
        lock(&self.0).remove(run)
    }
}

#[derive(Clone, Serialize, TS)]
pub(crate) struct MethodProgress<'a> {
    pub(crate) run: &'a str,
    pub(crate) message: &'a str,
}

/// Runs a connector method; waits it has to make are sent as `method-progress` events.
#[tauri::command]
pub async fn method_run(
    app: AppHandle,
    methods: State<'_, Arc<Methods>>,
    runs: State<'_, MethodRuns>,
    run: String,
    request: MethodRequest,
) -> Answer<MethodOutput> {
    let cancel = runs.start(&run);
    let progress = |message: &str| {
        let _ = app.emit_to("main", "method-progress", MethodProgress { run: &run, message });
    };
    let outcome = tokio::select! {
        out = methods.run(&request, Some(&progress)) => out,
        // Dropping the call stops it: nothing more is sent.
        _ = cancel.notified() => Err(Error::Cancelled),
    };
    runs.end(&run);
    Ok(outcome?)
}

#[tauri::command]
pub fn method_cancel(runs: State<'_, MethodRuns>, run: String) {
    if let Some(cancel) = runs.end(&run) {
        cancel.notify_one();
    }
}
