//! One window per data folder, on every OS: a second launch brings the first window
//! to the front (with the install link it was started with, if any) and exits 0. The
//! core's lock file and local socket (`connector_core::store::instance`), claimed before
//! Tauri starts.

use connector_core::store::instance::{self, Claim, FirstInstance, Request};
use connector_core::store::paths;
use tauri::{AppHandle, Manager};

/// What a later launch asks of the first: the window, to the front, and its link opened.
pub fn handed_over(app: &AppHandle, request: Request) {
    tracing::info!("a second launch was handed over; focusing the window");
    if let Request::Open(link) = request {
        crate::install_link::deliver(app, link);
    }
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

/// One instance per data folder, however it is reached: the lock lives in the data folder
/// itself, and the socket in the user's runtime folder when there is one (Linux: private,
/// cleared at logout), else beside the lock (`instance::Place`). When another window has
/// the folder, this process exits: 0 once that window came to the front, 1 (reason on
/// stderr) when it did not answer.
pub fn claim_or_exit(request: &Request) -> Launch {
    let Some(data) = paths::data_dir() else {
        return Launch::Unguarded("the OS gives no data folder".into());
    };
    if let Err(e) = connector_core::store::private_dir::create(&data) {
        return Launch::Unguarded(e.to_string());
    }
    // A runtime folder that can't be made private is not used: the socket goes beside the lock.
    let runtime = dirs::runtime_dir().filter(|r| connector_core::store::private_dir::create(r).is_ok());
    match instance::claim(&instance::Place::for_data_dir(&data, runtime.as_deref()), instance::HAND_OVER_WAIT, request) {
        Ok(Claim::First(first)) => Launch::First(first),
        Ok(Claim::HandedOver) => std::process::exit(0),
        Ok(Claim::Unanswered { detail }) => {
            eprintln!("Connector Console is already running for this data folder but did not answer: {detail}");
            std::process::exit(1)
        }
        Err(e) => Launch::Unguarded(e.to_string()),
    }
}
