//! A request to stop the command line: SIGTERM (a `git fetch` that was cancelled, a
//! logout, a service manager), SIGHUP (the terminal closed) or Ctrl+C. The running
//! command is dropped and the process exits through its usual end, which saves new
//! tokens the keychain refused earlier: rotation spent the old ones.

/// Resolves when the process is asked to stop; never, where no handler can be installed.
#[cfg(unix)]
pub async fn requested() {
    use tokio::signal::unix::{signal, SignalKind};
    let wait = |kind: SignalKind| async move {
        match signal(kind) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = wait(SignalKind::terminate()) => {}
        () = wait(SignalKind::hangup()) => {}
        () = wait(SignalKind::interrupt()) => {}
    }
}

/// Windows: Ctrl+C, Ctrl+Break, and the console window being closed.
#[cfg(windows)]
pub async fn requested() {
    use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close};
    let (Ok(mut c), Ok(mut b), Ok(mut close)) = (ctrl_c(), ctrl_break(), ctrl_close()) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = c.recv() => {}
        _ = b.recv() => {}
        _ = close.recv() => {}
    }
}
