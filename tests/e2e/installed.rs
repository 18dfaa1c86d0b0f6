//! The installed package, started the way the desktop starts it: run by
//! scripts/test-package.sh after `dpkg -i`, with CONNECTOR_CONSOLE_E2E_APP set to
//! the `Exec` line of the installed desktop entry. Ignored in a plain run (there is
//! no installed package to start); the package test runs it with --ignored.

use crate::ensure;
use crate::harness::{app_binary, App, Options};

#[tokio::test]
#[ignore = "needs the installed package: run scripts/test-package.sh"]
async fn the_installed_desktop_entry_opens_the_first_screen() {
    let binary = app_binary();
    assert!(binary.starts_with("/usr/"), "CONNECTOR_CONSOLE_E2E_APP must name the installed binary, not {binary}");
    let app = App::launch("installed_package", Options::default()).await;
    let result = async {
        let title = app.wait_text("h1", "Connector Console").await?;
        ensure!(title.contains("Connector Console"), "{title}");
        app.wait_for("[data-connector=azure-devops]").await?;
        app.save_screenshot("installed-package.png").await
    }
    .await;
    app.finish(result).await;
}
