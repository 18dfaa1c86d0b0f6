//! Logs go to `<data dir>/logs/connector-console.log` (0600: they name people
//! and organizations), at `info` unless `CONNECTOR_CONSOLE_LOG` asks for more.
//! Secrets never reach them: they are `Secret` values, which print as `[redacted]`.
//! The log is kept under a size cap: a file over it is rotated to `.1` at start.

use std::fs::{self, OpenOptions};
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

const MAX_LOG_BYTES: u64 = 5 * 1024 * 1024;

pub fn init(data_dir: &Path) -> std::io::Result<()> {
    let dir = data_dir.join("logs");
    connector_core::store::private_dir::create(&dir)?;
    let path = dir.join("connector-console.log");
    if fs::metadata(&path).is_ok_and(|m| m.len() > MAX_LOG_BYTES) {
        fs::rename(&path, dir.join("connector-console.log.1"))?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path)?;
    // `info`, `debug` or per target (`connector_core=debug,info`): the same syntax as
    // RUST_LOG without its regular expressions, which cost the binary a regex engine.
    let filter = std::env::var("CONNECTOR_CONSOLE_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let output = tracing_subscriber::fmt::layer().with_ansi(false).with_writer(Mutex::new(file));
    // A second init (never expected) would only be ignored, so its error is dropped on purpose.
    let _ = tracing_subscriber::registry().with(output).with(filter).try_init();
    Ok(())
}
