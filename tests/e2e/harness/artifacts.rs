//! What a failing test leaves in `target/e2e-artifacts/<test name>/`: a screenshot, the page
//! source, the page's last events, the failure, what the drivers and the app printed, and the
//! app's log files.

use std::path::{Path, PathBuf};

use fantoccini::Client;

pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-artifacts")
}

/// Keeps the page's last 200 clicks, keys, changes and submits in `window.__e2eEvents`, each
/// with its time and target, in the capture phase (before any handler can stop it).
pub const EVENT_TRAIL: &str = r#"
const trail = (window.__e2eEvents = []);
const describe = (t) => t instanceof Element ? `${t.tagName.toLowerCase()}${t.id ? '#' + t.id : ''}${t.isConnected ? '' : ' (detached)'}` : String(t);
for (const type of ['click', 'keydown', 'change', 'submit', 'focusin']) {
  document.addEventListener(type, (e) => {
    const key = e.key ? ` key=${e.key}` : '';
    const at = e.clientX !== undefined ? ` at=${e.clientX},${e.clientY}` : '';
    trail.push(`${performance.now().toFixed(0)} ms ${type} ${describe(e.target)}${key}${at}`);
    if (trail.length > 200) trail.shift();
  }, true);
}
"#;

/// Saves what the page looked like and what it saw happen when the test failed.
pub async fn save(client: &Client, name: &str, failure: &str, output: &Path, data_dir: &Path) {
    let dir = artifacts_dir().join(name);
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(dir.join("screenshot.png"), png);
    }
    if let Ok(src) = client.source().await {
        let _ = std::fs::write(dir.join("page.html"), src);
    }
    if let Ok(events) = client.execute("return (window.__e2eEvents || []).join('\\n');", vec![]).await {
        let _ = std::fs::write(dir.join("events.txt"), events.as_str().unwrap_or_default());
    }
    let _ = std::fs::write(dir.join("failure.txt"), failure);
    let _ = std::fs::copy(output, dir.join("output.txt"));
    if let Ok(logs) = std::fs::read_dir(data_dir.join("logs")) {
        for log in logs.flatten() {
            let _ = std::fs::copy(log.path(), dir.join(log.file_name()));
        }
    }
}
