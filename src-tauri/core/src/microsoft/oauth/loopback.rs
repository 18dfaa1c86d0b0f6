//! The loopback redirect for a system-browser sign-in (RFC 8252 §7.3, §8.3):
//! listeners on 127.0.0.1 and [::1] with one ephemeral port that accept exactly
//! one callback — on the exact path, with the expected `state` — answer the
//! browser with a small page, and close. Connections are served concurrently
//! with a header timeout; anything else gets a 404 or 400 and the listeners
//! keep waiting for the real answer.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::Error;

#[derive(Debug)]
pub struct Loopback {
    /// 127.0.0.1, and [::1] on the same port when the machine has IPv6.
    listeners: Vec<TcpListener>,
    /// `http://localhost:{port}/`: what Entra expects for a desktop app registered with `http://localhost`.
    pub redirect_uri: String,
}

const PATH: &str = "/";
/// A request head larger than this is not a browser's callback.
const MAX_HEAD: usize = 16 * 1024;
/// A browser sends its request at once; a connection silent for longer is dropped.
const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// After a failed accept (e.g. out of file descriptors), wait before the next.
const ACCEPT_BACKOFF: std::time::Duration = std::time::Duration::from_millis(100);

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}}\
         h1{{font-size:1.3rem}}</style></head><body><h1>{title}</h1><p>{body}</p><p><small>Connector Console</small></p></body></html>"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn respond(stream: &mut TcpStream, status: &str, html: &str) {
    let head = format!("HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n", html.len());
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(html.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Reads the request line's target ("/path?query"), or None for anything odd.
async fn request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() + n > MAX_HEAD {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_string()),
        _ => None,
    }
}

/// Ports tried before giving up, each with its [::1] side taken by someone else.
const BIND_ATTEMPTS: usize = 20;

fn listen_error(e: std::io::Error) -> Error {
    Error::Network { host: "localhost".into(), detail: format!("could not listen for the sign-in answer: {e}") }
}

/// Whether a failed [::1] bind means another process holds that port there (so the port is
/// not this sign-in's), rather than that the machine has no IPv6 loopback at all.
fn held_by_another(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::AddrInUse
}

impl Loopback {
    /// Listens on 127.0.0.1 and [::1] with one ephemeral port: the redirect says
    /// `localhost`, which a browser may resolve to either (RFC 8252 §8.3).
    pub async fn bind() -> Result<Self, Error> {
        Self::bind_trying(std::iter::repeat_n(0, BIND_ATTEMPTS)).await
    }

    /// The first of `ports` (0: any) on which both loopback addresses are this process's.
    /// A port whose [::1] side another local user holds is left for the next: listening on
    /// 127.0.0.1 alone would let that user's listener receive the sign-in's code.
    async fn bind_trying(ports: impl IntoIterator<Item = u16>) -> Result<Self, Error> {
        for wanted in ports {
            let v4 = TcpListener::bind(("127.0.0.1", wanted)).await.map_err(listen_error)?;
            let port = v4.local_addr().map_err(listen_error)?.port();
            let listeners = match TcpListener::bind(("::1", port)).await {
                Ok(v6) => vec![v4, v6],
                Err(e) if held_by_another(&e) => {
                    tracing::warn!(port, "loopback: [::1] is taken on this port by another process; trying another port");
                    continue;
                }
                // No IPv6 loopback on this machine: no browser connects there, and nobody can listen.
                Err(e) => {
                    tracing::debug!(error = %e, "no IPv6 loopback listener; 127.0.0.1 only");
                    vec![v4]
                }
            };
            return Ok(Self { listeners, redirect_uri: format!("http://localhost:{port}{PATH}") });
        }
        Err(listen_error(std::io::Error::new(
            std::io::ErrorKind::AddrInUse,
            format!("every port tried had [::1] taken ({BIND_ATTEMPTS} tries)"),
        )))
    }

    /// Waits for the one callback with `state` and returns its full URL.
    /// Connections are served concurrently, each with a short header timeout,
    /// so an idle or slow connection can't hold up the real answer; the first
    /// valid callback wins. The listeners close when this returns.
    pub async fn accept(self, state: &str) -> String {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(1);
        let mut tasks = tokio::task::JoinSet::new();
        for listener in self.listeners {
            let (tx, state, base) = (tx.clone(), state.to_string(), self.redirect_uri.clone());
            tasks.spawn(async move {
                loop {
                    match listener.accept().await {
                        Ok((stream, _)) => {
                            let (tx, state, base) = (tx.clone(), state.clone(), base.clone());
                            tokio::spawn(async move {
                                if let Some(url) = serve(stream, &state, &base).await {
                                    let _ = tx.send(url).await;
                                }
                            });
                        }
                        // Out of descriptors and the like: back off instead of spinning.
                        Err(e) => {
                            tracing::warn!(error = %e, "loopback: accept failed; retrying");
                            tokio::time::sleep(ACCEPT_BACKOFF).await;
                        }
                    }
                }
            });
        }
        drop(tx);
        let url = rx.recv().await.unwrap_or_default();
        tasks.abort_all();
        url
    }
}

/// One connection: the callback's URL when it is the one awaited, else `None`
/// (after answering the browser with why).
async fn serve(mut stream: TcpStream, state: &str, base: &str) -> Option<String> {
    let target = match tokio::time::timeout(HEADER_TIMEOUT, request_target(&mut stream)).await {
        Ok(Some(t)) => t,
        Ok(None) => {
            respond(
                &mut stream,
                "400 Bad Request",
                &page("Not a sign-in answer", "This address only receives Microsoft's sign-in answer."),
            )
            .await;
            return None;
        }
        Err(_) => return None,
    };
    let url = format!("{}{}", base.trim_end_matches('/'), target);
    let parsed = url::Url::parse(&url).ok()?;
    if parsed.path() != PATH {
        respond(&mut stream, "404 Not Found", &page("Not found", "This address only receives Microsoft's sign-in answer.")).await;
        return None;
    }
    let q = |k: &str| parsed.query_pairs().find(|(key, _)| key == k).map(|(_, v)| v.into_owned());
    if q("state").as_deref() != Some(state) {
        tracing::warn!("loopback: a request with a wrong or missing state was rejected");
        respond(
            &mut stream,
            "400 Bad Request",
            &page(
                "This sign-in link is not valid",
                "It doesn't belong to the sign-in in progress, so it was ignored. Return to Connector Console.",
            ),
        )
        .await;
        return None;
    }
    let html = match (q("error"), q("error_description")) {
        (Some(e), d) => page(
            "Sign-in did not complete",
            &format!(
                "Microsoft answered: {}. Return to Connector Console, which explains what to do.",
                escape(&d.map(|d| d.lines().next().unwrap_or("").to_string()).unwrap_or(e))
            ),
        ),
        (None, _) => page("You're signed in", "You can close this tab and return to Connector Console."),
    };
    respond(&mut stream, "200 OK", &html).await;
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(uri: &str, path: &str) -> (u16, String) {
        let port = uri.trim_start_matches("http://localhost:").trim_end_matches('/');
        let mut s = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).await.unwrap();
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        (out[9..12].parse().unwrap(), out)
    }

    #[tokio::test]
    async fn serves_exactly_one_callback_and_rejects_wrong_path_and_state() {
        let lb = Loopback::bind().await.unwrap();
        let uri = lb.redirect_uri.clone();
        assert!(uri.starts_with("http://localhost:"));
        let waiter = tokio::spawn(async move { lb.accept("good-state").await });
        assert_eq!(get(&uri, "/favicon.ico").await.0, 404);
        assert_eq!(get(&uri, "/?code=stolen&state=forged").await.0, 400);
        // A code without any state is not this sign-in's answer either: 400, and the wait goes on.
        assert_eq!(get(&uri, "/?code=x").await.0, 400);
        assert!(!waiter.is_finished(), "a stateless callback must not end the sign-in");
        let (status, body) = get(&uri, "/?code=the-code&state=good-state").await;
        assert_eq!(status, 200);
        assert!(body.contains("You can close this tab"));
        let url = waiter.await.unwrap();
        assert!(url.ends_with("/?code=the-code&state=good-state"), "{url}");
        // Closed after the one callback.
        let port: u16 = uri.trim_start_matches("http://localhost:").trim_end_matches('/').parse().unwrap();
        assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
    }

    #[tokio::test]
    async fn an_error_answer_is_shown_in_plain_words() {
        let lb = Loopback::bind().await.unwrap();
        let uri = lb.redirect_uri.clone();
        let waiter = tokio::spawn(async move { lb.accept("s").await });
        let (_, body) = get(&uri, "/?error=access_denied&error_description=AADSTS65004%3A+User+declined&state=s").await;
        assert!(body.contains("AADSTS65004: User declined"), "{body}");
        waiter.await.unwrap();
    }

    #[tokio::test]
    async fn a_silent_connection_does_not_hold_up_the_real_answer() {
        let lb = Loopback::bind().await.unwrap();
        let uri = lb.redirect_uri.clone();
        let port: u16 = uri.trim_start_matches("http://localhost:").trim_end_matches('/').parse().unwrap();
        let waiter = tokio::spawn(async move { lb.accept("s").await });
        // Opened first and never speaks (a pre-connecting browser, a port scanner).
        let _silent = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let started = std::time::Instant::now();
        let (status, _) = get(&uri, "/?code=c&state=s").await;
        assert_eq!(status, 200);
        let url = tokio::time::timeout(std::time::Duration::from_secs(2), waiter).await.expect("answered at once").unwrap();
        assert!(url.ends_with("code=c&state=s"));
        assert!(started.elapsed() < HEADER_TIMEOUT, "not after the silent connection's timeout");
    }

    /// Broken: [::1] was best effort, so a port whose [::1] side another local user held
    /// got a 127.0.0.1-only listener, and a browser resolving `localhost` to ::1 sent the
    /// code to that user.
    #[tokio::test]
    async fn a_port_whose_ipv6_side_is_taken_is_not_used() {
        let Ok(squatter) = std::net::TcpListener::bind(("::1", 0)) else {
            return; // no IPv6 loopback here: nobody can hold it either
        };
        let taken = squatter.local_addr().unwrap().port();
        let lb = Loopback::bind_trying([taken, 0]).await.unwrap();
        assert!(!lb.redirect_uri.contains(&format!(":{taken}/")), "{} uses the port whose [::1] is taken", lb.redirect_uri);
        assert_eq!(lb.listeners.len(), 2, "both loopback addresses are this process's");
    }

    #[test]
    fn only_a_port_held_by_another_process_is_skipped() {
        use std::io::{Error, ErrorKind};
        assert!(held_by_another(&Error::from(ErrorKind::AddrInUse)));
        // No IPv6 loopback (EADDRNOTAVAIL, EAFNOSUPPORT): 127.0.0.1 alone, not 20 failed tries.
        assert!(!held_by_another(&Error::from(ErrorKind::AddrNotAvailable)));
        assert!(!held_by_another(&Error::from(ErrorKind::Unsupported)));
    }

    /// Sends `head` in pieces of `piece` bytes, a moment apart, as a browser's segments may
    /// arrive; returns the status the loopback answered.
    async fn send_in_pieces(uri: &str, head: &[u8], piece: usize) -> u16 {
        let port: u16 = uri.trim_start_matches("http://localhost:").trim_end_matches('/').parse().unwrap();
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        for part in head.chunks(piece) {
            s.write_all(part).await.unwrap();
            s.flush().await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out[9..12].parse().unwrap()
    }

    /// A request head of exactly `len` bytes: the callback with `state`, padded by a header.
    fn head_of(len: usize, state: &str) -> Vec<u8> {
        let start = format!("GET /?code=c&state={state} HTTP/1.1\r\nHost: localhost\r\nX-Pad: ");
        let end = "\r\n\r\n";
        let pad = "a".repeat(len - start.len() - end.len());
        format!("{start}{pad}{end}").into_bytes()
    }

    #[tokio::test]
    async fn a_head_that_arrives_in_pieces_is_read_whole() {
        let lb = Loopback::bind().await.unwrap();
        let uri = lb.redirect_uri.clone();
        let waiter = tokio::spawn(async move { lb.accept("the-state").await });
        // The request line itself is split: its target is only known once the head is complete.
        assert_eq!(send_in_pieces(&uri, &head_of(200, "the-state"), 7).await, 200);
        assert!(waiter.await.unwrap().contains("code=c&state=the-state"));
    }

    #[tokio::test]
    async fn a_head_up_to_16_kib_is_served_and_a_larger_one_refused() {
        let lb = Loopback::bind().await.unwrap();
        let uri = lb.redirect_uri.clone();
        let waiter = tokio::spawn(async move { lb.accept("s").await });
        // Over the bound, even with the right state: 400, and the wait goes on.
        assert_eq!(send_in_pieces(&uri, &head_of(16 * 1024 + 1, "s"), 4096).await, 400);
        assert!(!waiter.is_finished());
        // A long code and a browser's headers (several reads of the head): served, up to the bound itself.
        assert_eq!(send_in_pieces(&uri, &head_of(16 * 1024, "s"), 4096).await, 200);
        assert!(waiter.await.unwrap().contains("state=s"));
    }

    #[tokio::test]
    async fn the_answer_may_come_over_ipv6_loopback_when_the_machine_has_it() {
        let lb = Loopback::bind().await.unwrap();
        let uri = lb.redirect_uri.clone();
        let port: u16 = uri.trim_start_matches("http://localhost:").trim_end_matches('/').parse().unwrap();
        let has_v6 = lb.listeners.len() == 2;
        let waiter = tokio::spawn(async move { lb.accept("s").await });
        if !has_v6 {
            // No IPv6 here: the IPv4 listener alone answers, as before.
            assert_eq!(get(&uri, "/?code=c&state=s").await.0, 200);
        } else {
            let mut s = TcpStream::connect(("::1", port)).await.unwrap();
            s.write_all(b"GET /?code=c6&state=s HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        }
        assert!(waiter.await.unwrap().contains("state=s"));
    }
}
