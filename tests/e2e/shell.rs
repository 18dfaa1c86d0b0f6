//! The window itself: the two areas, navigation, and the keychain self-test.

use std::time::Duration;

use crate::ensure;
use crate::harness::{App, Options};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn opens_on_the_connector_library_with_name_and_version() {
    let app = App::launch("opens_on_the_connector_library", Options::default()).await;
    let result = async {
        let title = app.text(".app-title").await?;
        ensure!(title.contains("Connector Console"), "title was {title:?}");
        let version = app.text("#app-version").await?;
        ensure!(version == format!("v{}", env!("CARGO_PKG_VERSION")), "version was {version:?}");
        ensure!(app.is_visible("#view-library").await?, "the library area is not shown");
        ensure!(!app.is_visible("#view-installations").await?, "installations should be hidden at start");
        app.wait_text("#view-library h2", "Connector Library", WAIT).await?;
        app.wait_text("#keychain-status", "Keychain: available", WAIT).await?;
        ensure!(!app.is_visible("#banner").await?, "no keychain banner expected with a working keychain");
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
        app.wait_text("#view-installations h2", "Installations", WAIT).await?;
        ensure!(!app.is_visible("#view-library").await?, "library still visible after switching");
        let selected = app.client.find(fantoccini::Locator::Css("#tab-installations")).await.map_err(|e| e.to_string())?;
        ensure!(selected.attr("aria-selected").await.map_err(|e| e.to_string())?.as_deref() == Some("true"), "tab not marked selected");
        app.click("#tab-library").await?;
        ensure!(app.is_visible("#view-library").await?, "library not shown after switching back");
        // Keyboard: arrow keys move between tabs, as in any tab list.
        app.keys("\u{E014}").await?; // ArrowRight
        ensure!(app.is_visible("#view-installations").await?, "ArrowRight did not open Installations");
        ensure!(app.focused().await? == "button#tab-installations", "focus did not follow the tab");
        app.keys("\u{E012}").await?; // ArrowLeft
        ensure!(app.is_visible("#view-library").await?, "ArrowLeft did not return to the library");
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
        app.wait_text("#keychain-status", "Keychain: unavailable", WAIT).await?;
        let banner = app.wait_text("#banner", "Secrets can\u{2019}t be stored", WAIT).await?;
        ensure!(banner.contains("D-Bus") || banner.contains("Secret Service"), "banner does not say what to do: {banner:?}");
        ensure!(banner.contains("disabled"), "banner does not say what is disabled: {banner:?}");
        let code = app
            .client
            .find(fantoccini::Locator::Css("#banner"))
            .await
            .map_err(|e| e.to_string())?
            .attr("data-code")
            .await
            .map_err(|e| e.to_string())?;
        ensure!(code.as_deref() == Some("keychain_unavailable"), "banner code was {code:?}");
        app.save_screenshot("keychain-missing.png").await?;
        // Checking again with nothing fixed keeps the banner, and the app keeps working.
        app.click("#keychain-recheck").await?;
        app.wait_text("#banner", "Secrets can\u{2019}t be stored", WAIT).await?;
        app.wait_text("#keychain-status", "Keychain: unavailable", WAIT).await.map(|_| ())
    }
    .await;
    app.finish(result).await;
}
