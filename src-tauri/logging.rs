//! Logs go to `<data dir>/logs/connector-console.log`. Secrets never reach
//! them: they are `Secret` values, which print as `[redacted]`.

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

pub fn init(data_dir: &Path) -> std::io::Result<()> {
    let dir = data_dir.join("logs");
    std::fs::create_dir_all(&dir)?;
    let file = OpenOptions::new().create(true).append(true).open(dir.join("connector-console.log"))?;
    let filter = EnvFilter::try_from_env("CONNECTOR_CONSOLE_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,connector_core=debug,connector_console=debug"));
    // A second init (never expected) would only be ignored, so its error is dropped on purpose.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(Mutex::new(file)).try_init();
    Ok(())
}
