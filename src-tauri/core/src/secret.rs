//! A string that must never be printed, logged or serialized by accident.

use std::fmt;

/// A secret value: a Client Secret, an access token, a refresh token.
///
/// `Debug` and `Display` print `[redacted]`, so a secret that slips into a
/// `tracing` field or an error message leaks nothing. It deliberately has no
/// `Serialize`: the only way out is [`Secret::expose`], which is easy to grep for.
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
    fn deserializes_from_a_plain_string() {
        let s: Secret = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(s.expose(), "abc");
        assert!(Secret::new("  ").is_empty());
    }
}
