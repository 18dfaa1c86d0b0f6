//! Reading the redirect back from Microsoft: `code` + `state`, or an `error`.

use url::Url;

use crate::error::Error;

/// The code from a callback, once its `state` matches the attempt in flight.
///
/// An `error` redirect without `state` is still accepted as this attempt's
/// failure: it carries no token, so there is nothing to forge, and Microsoft's
/// `InvalidScope` redirect has been seen without one.
pub fn read_callback(url: &Url, expected_state: &str) -> Result<String, Error> {
    let get = |k: &str| url.query_pairs().find(|(key, _)| key == k).map(|(_, v)| v.into_owned());
    let state = get("state");
    if let Some(error) = get("error") {
        if state.as_deref().is_some_and(|s| s != expected_state) {
            return Err(Error::StateMismatch);
        }
        return Err(match error.as_str() {
            "access_denied" => Error::SignInDeclined,
            _ => Error::SignInRefused { error, description: get("error_description") },
        });
    }
    if state.as_deref() != Some(expected_state) {
        return Err(Error::StateMismatch);
    }
    get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::UnexpectedResponse { detail: "the sign-in answer had neither a code nor an error".into() })
}

/// Whether a navigation is the registered callback: same scheme, host, port and path.
pub fn is_callback(candidate: &Url, callback: &Url) -> bool {
    candidate.scheme() == callback.scheme()
        && candidate.host_str() == callback.host_str()
        && candidate.port_or_known_default() == callback.port_or_known_default()
        && candidate.path() == callback.path()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn code_with_the_right_state() {
        assert_eq!(read_callback(&u("https://d.com/connector/callback?code=abc&state=s1"), "s1").unwrap(), "abc");
    }

    #[test]
    fn forged_or_missing_state_is_rejected() {
        assert!(matches!(read_callback(&u("https://d.com/connector/callback?code=abc&state=evil"), "s1"), Err(Error::StateMismatch)));
        assert!(matches!(read_callback(&u("https://d.com/connector/callback?code=abc"), "s1"), Err(Error::StateMismatch)));
        assert!(matches!(
            read_callback(&u("https://d.com/connector/callback?error=access_denied&state=evil"), "s1"),
            Err(Error::StateMismatch)
        ));
    }

    #[test]
    fn errors_are_mapped() {
        assert!(matches!(read_callback(&u("https://d.com/cb?error=access_denied&state=s1"), "s1"), Err(Error::SignInDeclined)));
        assert!(
            matches!(read_callback(&u("https://d.com/cb?error=InvalidScope"), "s1"), Err(Error::SignInRefused { error, .. }) if error == "InvalidScope")
        );
    }

    #[test]
    fn only_the_exact_callback_is_intercepted() {
        let cb = u("https://app-h.cyclr.com/connector/callback");
        assert!(is_callback(&u("https://app-h.cyclr.com/connector/callback?code=1"), &cb));
        assert!(is_callback(&u("https://app-h.cyclr.com:443/connector/callback"), &cb));
        assert!(!is_callback(&u("https://app-h.cyclr.com/connector/callbackx"), &cb));
        assert!(!is_callback(&u("http://app-h.cyclr.com/connector/callback"), &cb));
        assert!(!is_callback(&u("https://evil.com/connector/callback"), &cb));
    }
}
