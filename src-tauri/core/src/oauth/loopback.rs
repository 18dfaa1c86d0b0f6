//! The loopback redirect for a system-browser sign-in (RFC 8252 §7.3): a
//! listener on 127.0.0.1 with an ephemeral port that accepts exactly one
//! callback — on the exact path, with the expected `state` — answers the
//! browser with a small page, and closes. Anything else gets a 404 or 400 and
//! the listener keeps waiting for the real answer.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::Error;

#[derive(Debug)]
pub struct Loopback {
    listener: TcpListener,
    /// `http://localhost:{port}/`: what Entra expects for a desktop app registered with `http://localhost`.
    pub redirect_uri: String,
}

const PATH: &str = "/";
/// A request head larger than this is not a browser's callback.
const MAX_HEAD: usize = 16 * 1024;

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

impl Loopback {
    pub async fn bind() -> Result<Self, Error> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| Error::Network { host: "127.0.0.1".into(), detail: format!("could not listen for the sign-in answer: {e}") })?;
        let port = listener.local_addr().map_err(|e| Error::Network { host: "127.0.0.1".into(), detail: e.to_string() })?.port();
        Ok(Self { listener, redirect_uri: format!("http://localhost:{port}{PATH}") })
    }

    /// Waits for the one callback with `state` and returns its full URL. The
    /// listener is dropped (closed) when this returns.
    pub async fn accept(self, state: &str) -> String {
        loop {
            let Ok((mut stream, _)) = self.listener.accept().await else { continue };
            let Some(target) = request_target(&mut stream).await else {
                respond(
                    &mut stream,
                    "400 Bad Request",
                    &page("Not a sign-in answer", "This address only receives Microsoft's sign-in answer."),
                )
                .await;
                continue;
            };
            let url = format!("{}{}", self.redirect_uri.trim_end_matches('/'), target);
            let Ok(parsed) = url::Url::parse(&url) else { continue };
            if parsed.path() != PATH {
                respond(&mut stream, "404 Not Found", &page("Not found", "This address only receives Microsoft's sign-in answer.")).await;
                continue;
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
                continue;
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
            return url;
        }
    }
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
}
