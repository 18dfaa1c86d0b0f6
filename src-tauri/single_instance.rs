//! One window per data folder, on every OS: a second launch brings the first window
//! to the front and exits 0. The core's lock file and local socket
//! (`connector_core::store::instance`), claimed before Tauri starts.

use connector_core::store::instance::{self, Claim, FirstInstance};
use connector_core::store::paths;
use tauri::{AppHandle, Manager};

/// What a later launch asks of the first: the window, to the front.
pub fn focus_main(app: &AppHandle) {
    tracing::info!("a second launch was handed over; focusing the window");
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

pub enum Launch {
    /// This is the window for the data folder; serve later launches once it exists.
    First(FirstInstance),
    /// The claim could not be made (an unwritable folder): run, without the guarantee.
    Unguarded(String),
}

/// In the user's runtime folder (Linux: private, cleared at logout), named for the data
/// folder so another folder is another instance; without one (macOS, Windows), in the
/// data folder itself under a short name, which keeps a socket's path within the OS
/// limit (104 bytes on macOS). When another window has the folder, this process
/// exits: 0 once that window came to the front, 1 (reason on stderr) when it did not answer.
pub fn claim_or_exit() -> Launch {
    let place = match dirs::runtime_dir() {
        Some(runtime) => Some((runtime, paths::instance_id())),
        None => paths::data_dir().map(|data| (data, "instance".to_string())),
    };
    let Some((dir, name)) = place else {
        return Launch::Unguarded("the OS gives no runtime or data folder".into());
    };
    if let Err(e) = connector_core::store::private_dir::create(&dir) {
        return Launch::Unguarded(e.to_string());
    }
    match instance::claim(&dir, &name, instance::HAND_OVER_WAIT) {
        Ok(Claim::First(first)) => Launch::First(first),
        Ok(Claim::HandedOver) => std::process::exit(0),
        Ok(Claim::Unanswered { detail }) => {
            eprintln!("Connector Console is already running for this data folder but did not answer: {detail}");
            std::process::exit(1)
        }
        Err(e) => Launch::Unguarded(e.to_string()),
    }
}
