//! End-to-end tests of the real app window. Run them through
//! `scripts/test.sh` (or inside `scripts/with-test-env.sh`), which provides
//! Xvfb, a private D-Bus session and an unlocked gnome-keyring.

mod a11y;
mod diagnostics;
mod drafts;
mod entra;
mod entra_partner;
mod expired_secret;
mod first_minutes;
mod first_minutes_forms;
mod first_screen;
mod harness;
mod install_link;
mod install_steps;
mod installed;
mod library;
mod lifecycle;
mod methods;
mod migration;
// Owns a D-Bus name on the test's session bus: Linux, as the app's delivery.
#[cfg(target_os = "linux")]
mod notifications;
mod plain_words;
mod policy;
mod privacy;
mod real_microsoft;
mod screens;
mod secret_rotation;
mod shell;
mod sign_in;
mod single_instance;
