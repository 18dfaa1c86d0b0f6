//! Save diagnostics in the real window: the file is where the status says, private to
//! its owner, and its path can be copied from there (Show in folder sits beside it).

use crate::a11y::axe;
use crate::ensure;
use crate::harness::{App, Context, Options};

#[tokio::test]
async fn saved_diagnostics_say_where_and_the_path_can_be_copied() {
    let app = App::launch("diagnostics_save", Options::default()).await;
    let mut saved = None;
    let result = async {
        app.click("#tab-installations").await?;
        app.click("#save-diagnostics").await?;
        let said = app.wait_text("#installations-status", "Diagnostics saved to ").await?;
        let path = said
            .strip_prefix("Diagnostics saved to ")
            .and_then(|rest| rest.split(" (secrets").next())
            .ok_or_else(|| format!("status: {said:?}"))?
            .to_string();
        saved = Some(std::path::PathBuf::from(&path));
        let meta = std::fs::metadata(&path).map_err(|e| format!("{path}: {e}"))?;
        ensure!(std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o077 == 0, "{path} is readable by others");
        app.wait_visible("#diagnostics-show").await.context("no Show in folder")?;
        app.click("#diagnostics-copy").await?;
        let copied = app.wait_text("#diagnostics-copied", "Copied.").await?;
        ensure!(copied.trim() == "Copied.", "copy said {copied:?}");
        axe(&app, "Installations with diagnostics saved").await
    }
    .await;
    if let Some(path) = saved {
        let _ = std::fs::remove_file(path);
    }
    app.finish(result).await;
}
