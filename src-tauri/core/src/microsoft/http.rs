//! The one HTTP client: no redirects followed (a token or REST call that
//! redirects is an error, and following it could leak a secret), bounded timeouts.

use std::time::Duration;

use crate::error::Error;

/// Azure DevOps delays a throttled request by up to 30 s before it answers
/// ("Rate and usage limits"): a 30 s timeout would cut exactly those off.
pub const TIMEOUT: Duration = Duration::from_secs(120);

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(15))
        .timeout(TIMEOUT)
        .user_agent(concat!("ConnectorConsole/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the HTTP client configuration is valid")
}

/// A transport failure, naming the host but never the URL's query (which may hold a code).
pub fn network_error(url: &str, e: &reqwest::Error) -> Error {
    let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_else(|| "Microsoft".into());
    let detail = if e.is_timeout() {
        "the request timed out".to_string()
    } else if e.is_connect() {
        "the connection failed".to_string()
    } else {
        e.to_string()
    };
    Error::Network { host, detail }
}
