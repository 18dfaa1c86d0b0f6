//! Install's steps in the real window (issue #36, items 3, 4 and 9): every step's buttons in one
//! action row under it, Back on the left and the primary on the right, the primary where the
//! last step's was; Back is the previous step (keeping every value) and Cancel install leaves,
//! asking first; an error line that goes moves no button; and a browser that doesn't open is
//! said in words, with the two ways on, while the install stays at its Check step.

use std::path::Path;
use std::process::Command;

use fake_microsoft::{FakeMicrosoft, World};

use crate::a11y::axe;
use crate::ensure;
use crate::entra::own_entra_app_at_check;
use crate::first_minutes::fits;
use crate::harness::{App, Context, Options, TestResult};
use crate::sign_in::{in_sign_in_window, launch, share_demo_app, start_install};

/// The primary `css` sits in a step action row, at its right end, the row lined up with the
/// step indicator above it and its Back (if any) at its left end. Keeps the primary's right
/// edge and the row's height in the page (`window.__placed`) for `same_place`.
async fn placed(app: &App, css: &str, step: &str) -> TestResult {
    let script = "const b = document.querySelector(arguments[0]); const row = b && b.closest('.step-actions');
        if (!row || !b.offsetParent) return 'not shown in an action row';
        const stepper = row.parentElement.querySelector('.stepper') || row.closest('section').querySelector('.stepper');
        const r = b.getBoundingClientRect(), R = row.getBoundingClientRect(), s = stepper.getBoundingClientRect();
        const back = row.querySelector('.step-actions-start > *');
        const ok = Math.abs(r.right - R.right) < 1 && Math.abs(R.left - s.left) < 1 && r.top >= R.top && r.bottom <= R.bottom
          && (!back || Math.abs(back.getBoundingClientRect().left - R.left) < 1);
        if (ok) window.__placed = { right: r.right, height: R.height };
        return ok || { primary: [r.left, r.right], row: [R.left, R.right], stepper: s.left, back: back && back.id };";
    app.wait_js(&format!("{css} at the right end of the step's action row"), script, &[css]).await.context(step)
}

/// The primary `css` has the right edge, and its row the height, of the one `placed` last saw.
async fn same_place(app: &App, css: &str, step: &str) -> TestResult {
    let script = "const b = document.querySelector(arguments[0]); const was = window.__placed;
        if (!b || !b.offsetParent || !was) return 'nothing to compare';
        const r = b.getBoundingClientRect(), R = b.closest('.step-actions').getBoundingClientRect();
        return (Math.abs(r.right - was.right) < 1 && Math.abs(R.height - was.height) < 1) || { now: [r.right, R.height], was };";
    app.wait_js(&format!("{css} where the last step's primary was"), script, &[css]).await.context(step)
}

/// The button's top edge in the window (what the pointer is over), kept as `window.__top`
/// for `not_moved`.
async fn keep_top(app: &App, css: &str) -> TestResult {
    let script = "const b = document.querySelector(arguments[0]); if (!b) return 'absent';
        window.__top = b.getBoundingClientRect().top; return true;";
    app.wait_js(&format!("the top of {css}"), script, &[css]).await
}

async fn not_moved(app: &App, css: &str, what: &str) -> TestResult {
    let script = "const top = document.querySelector(arguments[0]).getBoundingClientRect().top;
        return Math.abs(top - window.__top) < 1 || `moved from ${window.__top} to ${top}`;";
    app.wait_js(&format!("{css} not moved"), script, &[css]).await.context(what)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_install_step_has_its_primary_action_in_the_same_place() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("install_steps_same_place", &fake).await;
    let result = async {
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso", "Website").await?;
        placed(&app, "#install-next", "Details: Next").await?;
        app.wait_gone(".step-actions #install-back").await.context("Details has no step before it")?;
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        placed(&app, "#sign-in", "Check: Sign In").await?;
        same_place(&app, "#sign-in", "Sign In where Next was").await?;
        app.wait_for(".step-actions-start #install-back").await.context("Check's Back is on the left")?;

        // Back is the previous step: it keeps every value and asks nothing.
        app.click("#install-back").await?;
        app.wait_attr(".stepper [aria-current=step]", "data-step", Some("details")).await.context("Back goes to Details")?;
        app.wait_gone("#confirm-dialog").await.context("Back to the previous step asked")?;
        app.wait_value("#field-organization", "contoso").await.context("Back keeps the organization")?;
        app.wait_value("#field-project", "Website").await.context("Back keeps the project")?;
        same_place(&app, "#install-next", "Next where Sign In was").await?;

        // Cancel install leaves the install, asking first about what was typed.
        app.click("#install-next").await?;
        app.wait_for("#sign-in").await?;
        app.click("#install-cancel").await?;
        app.wait_text_is("#confirm-title", "Discard what you entered?").await.context("Cancel install on a typed Install")?;
        app.click("#confirm-no").await?;
        app.wait_gone("#confirm-dialog[open]").await?;
        app.wait_visible("#sign-in").await.context("Keep editing stays at Check")?;

        // Connected: Done in the same row, at the same place.
        app.click("#sign-in").await?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        placed(&app, "#install-done", "Connected: Done").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_line_that_goes_moves_no_button() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let app = launch("install_steps_error_lines", &fake).await;
    let result = async {
        // The user's own app makes a long step: its action row stays in the window.
        start_install(&app, "contoso", "Website").await?;
        let in_window = "const R = document.querySelector('.step-actions').getBoundingClientRect();
            return (R.top >= 0 && R.bottom <= window.innerHeight + 1) || [R.top, R.bottom, window.innerHeight];";
        app.wait_js("the action row in the window", in_window, &[]).await.context("a long step's action row")?;
        app.click("#install-cancel").await?;
        app.click("#confirm-yes").await?;
        app.wait_for("#install-azure-devops").await.context("Cancel install")?;
        app.click("#tab-library").await?;

        // A short step, where the row follows the fields: an organization Azure DevOps refuses.
        share_demo_app(&app, &fake).await?;
        start_install(&app, "contoso!", "Website").await?;
        app.click("#install-next").await?;
        app.wait_text("#field-organization-error", "remove \"!\"").await?;
        keep_top(&app, "#install-next").await?;
        // Fixing the field takes its error line away; the button below it stays where it was.
        app.fill("#field-organization", "contoso").await?;
        app.wait_content_empty("#field-organization-error").await?;
        not_moved(&app, "#install-next", "Next after the organization's error went").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// A browser that refuses every address: xdg-open then finds no way to open it, as on a
/// machine without a browser.
fn broken_browser() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/broken-browser.sh").display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_does_not_open_is_said_in_words_and_the_install_stays_at_check() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let env = vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".to_string(), fake.base_url().to_string()), ("BROWSER".to_string(), broken_browser())];
    let app = App::launch("install_steps_browser_failed", Options { env, ..Options::default() }).await;
    let result = async {
        own_entra_app_at_check(&app, &fake).await?;
        app.click("#sign-in").await?;
        let said = app.wait_text("#install-error[data-code='browser_failed']", "Your browser didn\u{2019}t open").await?;
        ensure!(!said.contains("http") && !said.contains("ExitStatus"), "the alert shows the link or the raw status: {said:?}");
        app.wait_visible("#browser-failed-window").await.context("Use a window inside Connector Console")?;
        app.wait_text_is("#browser-failed-window", "Use a window inside Connector Console").await?;
        app.wait_text_is("#browser-failed-copy", "Copy the sign-in link").await?;
        app.wait_attr(".stepper [aria-current=step]", "data-step", Some("check")).await.context("the install left Check")?;
        app.wait_visible("#sign-in").await.context("Sign In is still offered")?;
        // The command and its exit code are under Details, without the link's state and challenge.
        app.click("#install-error details summary").await?;
        let detail = app.wait_text("#browser-failed-detail", "exit code").await?;
        ensure!(detail.contains("xdg-open") && !detail.contains("code_challenge"), "details: {detail:?}");
        app.resize(800, 600).await?;
        axe(&app, "Install, the browser didn't open").await?;
        fits(&app, "Install, the browser didn't open").await?;

        // Copy the sign-in link: the same wait, with the link to paste into any browser.
        app.click("#browser-failed-copy").await?;
        app.wait_text("#sign-in-waiting", "Waiting for you to sign in with your browser").await?;
        let link = app
            .wait_attr_where("#sign-in-link", "value", "the authorize URL", |v| v.is_some_and(|v| v.contains("code_challenge")))
            .await?
            .unwrap_or_default();
        // The user pastes it into a browser that works.
        let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fake-browser.sh");
        let ran = Command::new(browser).arg(&link).status().map_err(|e| e.to_string())?;
        ensure!(ran.success(), "the pasted link did not sign in: {ran}");
        app.wait_text("#install-connected", "Connected to ").await.context("signed in with the pasted link")?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_does_not_open_can_give_way_to_a_window_inside_the_app() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    let env = vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".to_string(), fake.base_url().to_string()), ("BROWSER".to_string(), broken_browser())];
    let app = App::launch("install_steps_browser_failed_window", Options { env, ..Options::default() }).await;
    let result = async {
        own_entra_app_at_check(&app, &fake).await?;
        app.click("#sign-in").await?;
        app.wait_for("#install-error[data-code='browser_failed']").await?;
        app.click("#browser-failed-window").await?;
        app.wait_text("#sign-in-waiting", "A Microsoft window is open").await.context("the sign-in moved to the app's window")?;
        in_sign_in_window(&app, "#accept").await?;
        app.wait_text("#install-connected", "Connected to ").await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}
