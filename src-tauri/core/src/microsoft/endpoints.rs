//! Where Microsoft lives. The real hosts are the defaults; one documented
//! override (`CONNECTOR_CONSOLE_MICROSOFT_URL`) points the whole app at another
//! base URL — the fake service, a proxy — and the app shows when it is active.

use serde::Serialize;
use url::Url;

use crate::error::{Error, Result};
use crate::model::connectors::azure_devops;
use ts_rs::TS;

pub const OVERRIDE_VAR: &str = "CONNECTOR_CONSOLE_MICROSOFT_URL";

#[derive(Debug, Clone, Serialize, TS)]
pub struct Endpoints {
    /// app.vssps.visualstudio.com: legacy OAuth, profile, accounts.
    pub vssps: String,
    /// login.microsoftonline.com: Entra ID.
    pub login: String,
    /// dev.azure.com: organization and project APIs.
    pub devops: String,
    /// auditservice.dev.azure.com.
    pub audit: String,
    /// The override's base URL when one is active.
    pub overridden_by: Option<String>,
}

impl Endpoints {
    pub fn microsoft() -> Self {
        let e = &azure_devops().endpoints;
        Self {
            vssps: e["vssps"].clone(),
            login: e["login"].clone(),
            devops: e["devops"].clone(),
            audit: e["audit"].clone(),
            overridden_by: None,
        }
    }

    /// Every role under one base URL, by path (the layout the fake service serves).
    pub fn under(base: &str) -> Result<Self> {
        let url = Url::parse(base.trim()).map_err(|e| Error::invalid(OVERRIDE_VAR, format!("{base:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::invalid(OVERRIDE_VAR, "must be an http(s) URL such as http://127.0.0.1:8700"));
        }
        // Tokens and secrets go there: plain http only to this machine.
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        if url.scheme() == "http" && !loopback {
            return Err(Error::invalid(OVERRIDE_VAR, "must use https unless it points at this machine (127.0.0.1, [::1] or localhost)"));
        }
        if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid(OVERRIDE_VAR, "must be a plain base URL: no user name, password, query or fragment"));
        }
        let root = url.as_str().trim_end_matches('/').to_string();
        Ok(Self {
            vssps: root.clone(),
            login: format!("{root}/login"),
            devops: root.clone(),
            audit: format!("{root}/audit"),
            overridden_by: Some(root),
        })
    }

    /// The real hosts, unless the override variable names a base URL.
    pub fn from_env() -> Result<Self> {
        match std::env::var(OVERRIDE_VAR) {
            Ok(v) if !v.trim().is_empty() => Self::under(&v),
            _ => Ok(Self::microsoft()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_microsofts_hosts() {
        let e = Endpoints::microsoft();
        assert_eq!(e.vssps, "https://app.vssps.visualstudio.com");
        assert_eq!(e.login, "https://login.microsoftonline.com");
        assert!(e.overridden_by.is_none());
    }

    #[test]
    fn override_maps_every_role_under_one_base() {
        let e = Endpoints::under("http://127.0.0.1:8700/").unwrap();
        assert_eq!(e.vssps, "http://127.0.0.1:8700");
        assert_eq!(e.login, "http://127.0.0.1:8700/login");
        assert_eq!(e.audit, "http://127.0.0.1:8700/audit");
        assert!(Endpoints::under("ftp://x").is_err());
        assert!(Endpoints::under("not a url").is_err());
    }

    #[test]
    fn override_needs_https_off_this_machine_and_nothing_but_a_base() {
        assert!(Endpoints::under("http://localhost:8700").is_ok());
        assert!(Endpoints::under("http://[::1]:8700").is_ok());
        assert!(Endpoints::under("https://proxy.example.com/ms").is_ok());
        for bad in [
            "http://proxy.example.com",
            "https://user:pw@proxy.example.com",
            "https://proxy.example.com/?a=1",
            "https://proxy.example.com/#x",
        ] {
            let e = Endpoints::under(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{bad}");
        }
    }
}
