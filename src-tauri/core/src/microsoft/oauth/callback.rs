//! Reading the redirect back from Microsoft: `code` + `state`, or an `error`.

use url::Url;

use crate::error::aadsts;
use crate::error::Error;

/// The code from a callback, once its `state` matches the attempt in flight.
///
/// An `error` redirect must carry the attempt's `state` too, with one exception:
/// legacy Azure DevOps OAuth's `InvalidScope`, which Microsoft sends without one
/// (the one real redirect on record, microsoft/azure-devops-auth-samples#86).
/// That unbound error's description is dropped: any page could have written it.
pub fn read_callback(url: &Url, expected_state: &str) -> Result<String, Error> {
    let get = |k: &str| url.query_pairs().find(|(key, _)| key == k).map(|(_, v)| v.into_owned());
    let state = get("state");
    if let Some(error) = get("error") {
        return match state.as_deref() {
            Some(s) if s == expected_state => Err(match error.as_str() {
                // Entra's access_denied also carries Conditional Access blocks, with the
                // AADSTS number in the description: those are explained, not "declined".
                "access_denied" if get("error_description").as_deref().and_then(aadsts::number_in).is_none() => Error::SignInDeclined,
                _ => Error::SignInRefused { error, description: get("error_description") },
            }),
            None if error == "InvalidScope" => Err(Error::SignInRefused { error, description: None }),
            _ => Err(Error::StateMismatch),
        };
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
    fn an_error_without_state_ends_nothing_unless_it_is_legacy_invalid_scope() {
        for unbound in ["error=access_denied", "error=server_error&error_description=Call+0800+now", "error=invalid_request"] {
            let url = u(&format!("https://d.com/cb?{unbound}"));
            assert!(matches!(read_callback(&url, "s1"), Err(Error::StateMismatch)), "{unbound}");
        }
        let scope = read_callback(&u("https://d.com/cb?error=InvalidScope&error_description=Call+0800+now"), "s1");
        assert!(matches!(scope, Err(Error::SignInRefused { description: None, .. })), "the unbound description is not shown");
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
