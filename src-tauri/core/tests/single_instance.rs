//! One instance per data folder, with real processes' primitives: the lock
//! file and the local socket (a Unix socket here, a named pipe on Windows: the
//! same code). (The window's hand-over is tested end to end in
//! tests/e2e/single_instance.rs.)

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connector_core::store::instance::{self, socket_name, Claim, Place, Request};
use interprocess::local_socket::prelude::*;
use interprocess::local_socket::Stream;

/// A raw connection to the first instance's socket, as any same-user process could open.
fn connect(dir: &Path) -> Stream {
    Stream::connect(socket_name(&Place::in_dir(dir, ID)).unwrap()).unwrap()
}

const ID: &str = "com.example.test";

/// Claims instance `id` with its lock and socket side by side in `dir`.
fn claim_in(dir: &Path, id: &str, wait: Duration) -> connector_core::Result<Claim> {
    instance::claim(&Place::in_dir(dir, id), wait, &Request::Activate)
}

fn serve_counting(first: Claim) -> Arc<AtomicUsize> {
    let Claim::First(first) = first else { panic!("the first launch is first") };
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    first
        .serve(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    count
}

#[test]
fn a_second_launch_hands_over_to_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let count = serve_counting(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap());
    for _ in 0..3 {
        assert!(matches!(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap(), Claim::HandedOver));
    }
    assert_eq!(count.load(Ordering::SeqCst), 3, "the first was asked each time");
}

#[test]
fn another_id_is_another_instance() {
    let dir = tempfile::tempdir().unwrap();
    let _first = serve_counting(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap());
    assert!(matches!(claim_in(dir.path(), "com.example.other", Duration::from_secs(5)).unwrap(), Claim::First(_)));
}

/// Unix only: a named pipe goes with the process that made it.
#[cfg(unix)]
#[test]
fn a_socket_left_by_a_dead_instance_does_not_block_the_next_launch() {
    let dir = tempfile::tempdir().unwrap();
    // What a crash leaves: the lock file (no longer locked) and a socket nobody listens on.
    std::fs::write(dir.path().join(format!("{ID}.lock")), b"").unwrap();
    drop(std::os::unix::net::UnixListener::bind(dir.path().join(format!("{ID}.sock"))).unwrap());
    let count = serve_counting(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap());
    assert!(matches!(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap(), Claim::HandedOver));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[test]
fn a_silent_connection_does_not_hold_up_a_launch() {
    let dir = tempfile::tempdir().unwrap();
    let count = serve_counting(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap());
    let mut silent = connect(dir.path());
    silent.write_all(b"act").unwrap();
    assert!(matches!(claim_in(dir.path(), ID, Duration::from_secs(10)).unwrap(), Claim::HandedOver));
    assert_eq!(count.load(Ordering::SeqCst), 1, "only the real launch activated");
}

#[test]
fn a_first_instance_that_never_answers_is_reported_not_waited_on_forever() {
    let dir = tempfile::tempdir().unwrap();
    let Claim::First(_hung) = claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap() else { panic!("first") };
    let started = std::time::Instant::now();
    let Claim::Unanswered { detail } = claim_in(dir.path(), ID, Duration::from_millis(300)).unwrap() else {
        panic!("handed over to an instance that never answered")
    };
    assert!(detail.contains("no answer within 0.3 s"), "{detail}");
    assert!(started.elapsed() < Duration::from_secs(5), "gave up after the wait");
}

#[cfg(unix)]
#[test]
fn the_lock_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let _first = claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap();
    let mode = std::fs::metadata(dir.path().join(format!("{ID}.lock"))).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
}

/// A same-user peer sending an endless line is cut off at a short length (the app's
/// memory doesn't grow with it), and one trickling a byte at a time holds up no launch.
#[test]
fn an_endless_or_trickling_peer_holds_up_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let count = serve_counting(claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap());
    let mut endless = connect(dir.path());
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0usize;
    while sent < 64 * 1024 * 1024 {
        match endless.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break, // the app closed the connection
        }
    }
    assert!(sent < 64 * 1024 * 1024, "the app kept reading an endless line ({sent} bytes)");
    let mut trickle = connect(dir.path());
    let trickler = std::thread::spawn(move || {
        for b in b"activate" {
            if trickle.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(700));
        }
    });
    let started = std::time::Instant::now();
    assert!(matches!(claim_in(dir.path(), ID, Duration::from_secs(10)).unwrap(), Claim::HandedOver));
    assert!(started.elapsed() < Duration::from_secs(2), "a trickling peer held up the launch: {:?}", started.elapsed());
    trickler.join().unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 1, "only the real launch activated");
}

/// Broken: the lock lived in the runtime folder when there was one and in the data folder
/// otherwise, and the default folder and the same folder named were two instances: one
/// data folder, two windows. Now only the canonical data folder decides.
#[test]
fn one_data_folder_is_one_instance_however_a_launch_reaches_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, runtime, elsewhere) = (tmp.path().join("data"), tmp.path().join("run"), tmp.path().join("x"));
    for dir in [&data, &runtime, &elsewhere] {
        std::fs::create_dir(dir).unwrap();
    }
    let count =
        serve_counting(instance::claim(&Place::for_data_dir(&data, Some(&runtime)), Duration::from_secs(5), &Request::Activate).unwrap());
    // The same folder spelled otherwise, from a session with the same runtime folder: handed over.
    for spelling in [tmp.path().join("data/"), tmp.path().join("x/../data"), tmp.path().join("./data")] {
        let later = instance::claim(&Place::for_data_dir(&spelling, Some(&runtime)), Duration::from_secs(5), &Request::Activate).unwrap();
        assert!(matches!(later, Claim::HandedOver), "{spelling:?}: not handed over");
    }
    // Without a runtime folder the socket is elsewhere, but the lock is the same: no second window.
    let without = instance::claim(&Place::for_data_dir(&data, None), Duration::from_millis(300), &Request::Activate).unwrap();
    assert!(!matches!(without, Claim::First(_)), "a launch without XDG_RUNTIME_DIR became a second window");
    assert_eq!(count.load(Ordering::SeqCst), 3);
    // Another data folder is another instance.
    assert!(matches!(
        instance::claim(&Place::for_data_dir(&elsewhere, None), Duration::from_secs(5), &Request::Activate).unwrap(),
        Claim::First(_)
    ));
}

#[test]
fn a_launch_with_an_install_link_hands_the_link_over() {
    let dir = tempfile::tempdir().unwrap();
    let Claim::First(first) = claim_in(dir.path(), ID, Duration::from_secs(5)).unwrap() else { panic!("first") };
    let (tx, rx) = std::sync::mpsc::channel();
    first.serve(move |request| tx.send(request).unwrap()).unwrap();
    let link = "connector-console://install?connector=azure-devops&organization=contoso";
    let later = instance::claim(&Place::in_dir(dir.path(), ID), Duration::from_secs(5), &Request::Open(link.into())).unwrap();
    assert!(matches!(later, Claim::HandedOver));
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), Request::Open(link.into()));
}
