//! The single-instance request line, read over a real local socket, and the later
//! launch's wait for the first.

use super::*;
use proptest::prelude::*;

/// What a peer's bytes should read as: the first line, if it is short and UTF-8.
fn expected(bytes: &[u8]) -> Option<String> {
    let end = bytes.iter().position(|b| *b == b'\n').filter(|p| *p < MAX_LINE)?;
    String::from_utf8(bytes[..=end].to_vec()).ok()
}

/// What the listener reads of `bytes` sent by a peer that then hangs up, over a real local socket.
fn served(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let name = socket_name(&Place::in_dir(dir.path(), "t")).unwrap();
    let listener = ListenerOptions::new().name(name.borrow()).create_sync().unwrap();
    let mut peer = Stream::connect(name).unwrap();
    let conn = listener.accept().unwrap();
    peer.write_all(bytes).unwrap();
    drop(peer);
    read_request(&conn)
}

/// A link too long to be one is cut one past the limit, so that the window's parse
/// refuses it rather than opening a shortened link; that line is the longest read.
#[test]
fn a_link_too_long_is_cut_one_past_the_limit_and_that_line_is_the_longest_read() {
    let line = Request::Open("a".repeat(3 * install_link::MAX_LEN)).line();
    assert_eq!(line, format!("open {}\n", "a".repeat(install_link::MAX_LEN + 1)));
    assert_eq!(served(line.as_bytes()).as_deref(), Some(line.as_str()));
    assert!(install_link::InstallLink::parse(&line["open ".len()..line.len() - 1]).is_err());
    let longer = format!("open {}\n", "a".repeat(install_link::MAX_LEN + 2));
    assert_eq!(served(longer.as_bytes()), None, "a line longer than any launch sends");
}

#[test]
fn only_a_missing_read_timeout_lets_the_read_go_on() {
    use std::io::{Error, ErrorKind};
    assert_eq!(timeout_set(Ok(())), Some(()));
    assert_eq!(timeout_set(Err(Error::from(ErrorKind::Unsupported))), Some(()), "a named pipe");
    assert_eq!(timeout_set(Err(Error::from(ErrorKind::InvalidInput))), None);
}

/// A first instance that starts listening `after` a moment, answers one request, and returns it.
fn answering_after(name: Name<'static>, after: Duration) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        std::thread::sleep(after);
        let listener = ListenerOptions::new().name(name).create_sync().unwrap();
        let conn = listener.accept().unwrap();
        let line = read_request(&conn).unwrap();
        (&conn).write_all(DONE.as_bytes()).unwrap();
        line
    })
}

/// The first may hold the lock a moment before it listens: a later launch keeps trying
/// until its deadline, and no longer.
#[test]
fn a_later_launch_waits_for_the_first_to_listen_until_its_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let name = socket_name(&Place::in_dir(dir.path(), "t")).unwrap();
    let first = answering_after(socket_name(&Place::in_dir(dir.path(), "t")).unwrap(), Duration::from_millis(300));
    assert_eq!(hand_over(name, Duration::from_secs(10), ACTIVATE.into()), Ok(()));
    assert_eq!(first.join().unwrap(), ACTIVATE);

    // Nobody listens: past its deadline the launch gives up, and says why.
    let (tx, rx) = mpsc::channel();
    let silent = socket_name(&Place::in_dir(dir.path(), "nobody")).unwrap();
    std::thread::spawn(move || tx.send(ask(&silent, Instant::now() + Duration::from_millis(200), ACTIVATE)));
    let gave_up = rx.recv_timeout(Duration::from_secs(10)).expect("gave up at its deadline");
    assert!(gave_up.unwrap_err().starts_with("connecting to the running window"));
}

proptest! {
    // A failing case's seed goes to target/, not to a proptest-regressions/ folder beside
    // the source that a run would leave untracked in the tree.
    #![proptest_config(ProptestConfig::with_failure_persistence(
        proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/proptest-regressions/instance.txt"))
    ))]

    /// Whatever a same-user peer sends (then hanging up), the listener reads one short
    /// line or nothing, and never holds more than a line.
    #[test]
    fn any_bytes_from_a_peer_are_one_short_line_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        prop_assert_eq!(served(&bytes), expected(&bytes));
    }

    /// Request-like lines: the real one, near misses, too long, with junk after.
    #[test]
    fn request_like_lines_are_read_exactly(
        head in prop::sample::select(vec!["activate", "activat", "ACTIVATE", "", "done", "open ", "open"]),
        pad in prop::sample::select(vec![0usize, 1, 60, MAX_LINE - 10, MAX_LINE - 9, MAX_LINE, MAX_LINE + 20]),
        tail in "[a-z\n]{0,10}",
    ) {
        let text = format!("{head}{}\n{tail}", "x".repeat(pad));
        prop_assert_eq!(served(text.as_bytes()), expected(text.as_bytes()));
    }

    /// Whatever link a launch is given, the first reads back one request: the link itself
    /// when it is a line short enough to be a link, else a text the link parser refuses.
    #[test]
    fn any_link_arrives_as_one_request(link in ".{0,40}", pad in prop::sample::select(vec![0usize, install_link::MAX_LEN, install_link::MAX_LEN * 2])) {
        let link = format!("{link}{}", "é".repeat(pad / 2));
        let line = Request::Open(link.clone()).line();
        let Some(Request::Open(got)) = served(line.as_bytes()).as_deref().and_then(Request::from_line) else {
            return Err(TestCaseError::fail("not read as an open request"));
        };
        if link.len() <= install_link::MAX_LEN && !link.contains(['\n', '\r']) {
            prop_assert_eq!(got, link);
        } else {
            prop_assert!(install_link::InstallLink::parse(&got).is_err());
        }
    }
}
