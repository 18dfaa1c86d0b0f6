//! Things the user should know about since start-up, shown above every screen.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeCode {
    /// The settings file could not be used and was moved aside.
    SettingsQuarantined,
    /// The settings file exists but can't be read (permissions, I/O); it is left alone.
    SettingsUnreadable,
    /// A newer app wrote the settings file; nothing is written to it.
    SettingsTooNew,
    /// The policy file is broken or unreadable; nothing from it applies.
    PolicyIgnored,
    /// `CONNECTOR_CONSOLE_MICROSOFT_URL` points every request elsewhere.
    EndpointOverride,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Notice {
    pub code: NoticeCode,
    pub message: String,
}
