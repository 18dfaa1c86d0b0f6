//! The window itself: the two areas, navigation, and the keychain self-test.

use crate::ensure;
use crate::harness::{App, Context, Options};

#[tokio::test]
async fn opens_on_the_connector_library_with_name_and_version() {
    let app = App::launch("opens_on_the_connector_library", Options::default()).await;
    let result = async {
        app.wait_text(".app-title", "Connector Console").await?;
        app.wait_text_is("#app-version", &format!("v{}", env!("CARGO_PKG_VERSION"))).await?;
        app.wait_visible("#view-library").await.context("the library area is not shown")?;
        app.wait_hidden("#view-installations").await.context("installations should be hidden at start")?;
        app.wait_text("#view-library h2", "Connector Library").await?;
        app.wait_text("#keychain-status", "Keychain: available").await?;
        app.wait_hidden("#banner").await.context("no keychain banner expected with a working keychain")?;
        app.save_screenshot("main-window.png").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn navigates_to_installations_and_back_by_mouse_and_keyboard() {
    let app = App::launch("navigates_between_areas", Options::default()).await;
    let result = async {
        app.click("#tab-installations").await?;
        app.wait_text("#view-installations h2", "Installations").await?;
        app.wait_hidden("#view-library").await.context("library still visible after switching")?;
        app.wait_attr("#tab-installations", "aria-selected", Some("true")).await.context("tab not marked selected")?;
        app.click("#tab-library").await?;
        app.wait_visible("#view-library").await.context("library not shown after switching back")?;
        // Keyboard: arrow keys move between tabs, as in any tab list.
        app.keys("\u{E014}").await?; // ArrowRight
        app.wait_visible("#view-installations").await.context("ArrowRight did not open Installations")?;
        app.wait_focus("button#tab-installations").await.context("focus did not follow the tab")?;
        app.keys("\u{E012}").await?; // ArrowLeft
        app.wait_visible("#view-library").await.context("ArrowLeft did not return to the library")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn without_a_secret_service_a_banner_says_what_to_do() {
    // A session bus address that leads nowhere: the app must not find a keychain,
    // and must neither crash nor fall back to storing secrets elsewhere.
    let opts = Options {
        env: vec![("DBUS_SESSION_BUS_ADDRESS".into(), "unix:path=/nonexistent/connector-console-test-bus".into())],
        ..Options::default()
    };
    let app = App::launch("keychain_missing_banner", opts).await;
    let result = async {
        app.wait_text("#keychain-status", "Keychain: unavailable").await?;
        let banner = app.wait_text("#banner", "Secrets can\u{2019}t be stored").await?;
        ensure!(banner.contains("D-Bus") || banner.contains("Secret Service"), "banner does not say what to do: {banner:?}");
        ensure!(banner.contains("disabled"), "banner does not say what is disabled: {banner:?}");
        app.wait_attr("#banner", "data-code", Some("keychain_unavailable")).await?;
        app.save_screenshot("keychain-missing.png").await?;
        // Checking again with nothing fixed keeps the banner, and the app keeps working.
        app.click("#keychain-recheck").await?;
        app.wait_text("#banner", "Secrets can\u{2019}t be stored").await?;
        app.wait_text("#keychain-status", "Keychain: unavailable").await.map(|_| ())
    }
    .await;
    app.finish(result).await;
}
