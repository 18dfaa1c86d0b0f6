//! A string that must never be printed, logged or serialized by accident.

use std::fmt;

use zeroize::Zeroize;

/// A secret value: a Client Secret, or what a keychain account holds. Access and refresh
/// tokens are kinds of their own ([`AccessToken`], [`RefreshToken`]), each wrapping one.
///
/// `Debug` and `Display` print `[redacted]`, so a secret that slips into a
/// `tracing` field or an error message leaks nothing. It deliberately has no
/// `Serialize`: the only way out is [`Secret::expose`], which is easy to grep for.
/// Its bytes are overwritten when it is dropped, so a freed token doesn't linger in
/// the heap for a core dump or swap to find. (Copies made before it was wrapped, such
/// as an HTTP body, are zeroized where this crate owns them; see `oauth::legacy`.)
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl Secret {
    /// Overwrites the whole buffer (its spare capacity too) with zeros.
    fn wipe(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// A secret of one kind: its own type, so the compiler refuses it where another kind is
/// expected. It wraps a [`Secret`] (redacted when printed, overwritten when dropped) and reads
/// from a plain string, so what the keychain keeps is unchanged.
macro_rules! secret_kind {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(Secret);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(Secret::new(value))
            }

            /// The raw value, for the one place that must send or store it.
            pub fn expose(&self) -> &str {
                self.0.expose()
            }

            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }
    };
}

secret_kind! {
    /// A refresh token: it only goes back to the token endpoint as the grant, and the compiler
    /// refuses it where a Client Secret (a plain [`Secret`]) or an access token is expected:
    ///
    /// ```compile_fail
    /// fn sign_with(_client_secret: &connector_core::Secret) {}
    /// sign_with(&connector_core::secret::RefreshToken::new("M.C507_refresh"));
    /// ```
    RefreshToken
}

secret_kind! {
    /// An access token: it goes to Azure DevOps as the bearer, and nowhere a Client Secret or a
    /// refresh token is expected:
    ///
    /// ```compile_fail
    /// fn sign_with(_client_secret: &connector_core::Secret) {}
    /// sign_with(&connector_core::secret::AccessToken::new("eyJ0eXAi.access"));
    /// ```
    AccessToken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("eyJ0eXAiOiJKV1Qi.super-secret");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        let wrapped = format!("{:?}", Some(vec![s.clone()]));
        assert!(!wrapped.contains("super-secret"), "{wrapped}");
        assert_eq!(s.expose(), "eyJ0eXAiOiJKV1Qi.super-secret");
    }

    #[test]
    fn drop_overwrites_the_value() {
        let mut s = Secret::new(String::from("refresh-token-value"));
        let (ptr, capacity) = (s.0.as_ptr(), s.0.capacity());
        s.wipe();
        // The buffer is still allocated (capacity kept) and zeroize wrote every byte of it.
        // SAFETY: `s` is alive and kept its allocation (asserted below), so `ptr` points at
        // `capacity` initialised bytes (zeroize wrote all of them).
        let bytes = unsafe { std::slice::from_raw_parts(ptr, capacity) };
        assert!(bytes.iter().all(|b| *b == 0), "{bytes:?}");
        assert_eq!(s.0.capacity(), capacity);
    }

    #[test]
    fn a_refresh_token_is_redacted_too() {
        let r = RefreshToken::new("M.C507_refresh");
        assert_eq!(format!("{r:?}"), "RefreshToken([redacted])");
        assert_eq!(r.expose(), "M.C507_refresh");
    }

    #[test]
    fn an_access_token_is_redacted_too() {
        let a = AccessToken::new("eyJ0eXAi.access");
        assert_eq!(format!("{a:?}"), "AccessToken([redacted])");
        assert_eq!(a.expose(), "eyJ0eXAi.access");
    }

    #[test]
    fn deserializes_from_a_plain_string() {
        let s: Secret = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(s.expose(), "abc");
        assert!(Secret::new("  ").is_empty());
    }
}
