//! The screen the window opens on is the one for the person (issue #36, item 2): a first
//! launch asks "Which one are you?" on whichever tab is open, "Set up the Connector Library"
//! opens the Library's form, and once anything is installed the window opens on Installations,
//! also for a user whose installations all use their own app (nothing in the Library).

use fake_microsoft::{FakeMicrosoft, World};

use crate::a11y::axe;
use crate::ensure;
use crate::first_minutes::fits;
use crate::harness::{App, Context, Options, TestResult};
use crate::sign_in::{demo, in_sign_in_window, launch, own_app, start_install};

const QUESTION: &str = "Nothing is installed yet. Which one are you?";

/// The role choice on one tab: the question, both ways in, no sideways scroll at 800×600, axe clean.
async fn asks_which_one(app: &App, tab: &str) -> TestResult {
    app.wait_attr(&format!("#tab-{tab}"), "aria-selected", Some("true")).await.context("that tab is not the open one")?;
    app.wait_text(&format!("#{tab}-first-run h3"), QUESTION).await.context(&format!("no role choice on {tab}"))?;
    let team = app.wait_text(&format!("#{tab}-first-run [data-path=team]"), "Setting up for my team").await?;
    ensure!(team.contains("Set up the Connector Library"), "{tab}: the team path has no Set up button: {team:?}");
    let own = app.wait_text(&format!("#{tab}-first-run [data-path=own]"), "Connecting my own Azure DevOps").await?;
    ensure!(own.contains("Install Microsoft Azure DevOps"), "{tab}: the own-app path has no Install button: {own:?}");
    // An Entra public client has no Client Secret: the own-app path doesn't ask every app for one.
    ensure!(own.contains("its Client Secret if it has one"), "{tab}: the own-app path asks for a Client Secret: {own:?}");
    fits(app, &format!("the role choice on {tab}")).await?;
    axe(app, &format!("the role choice on {tab}")).await
}

#[tokio::test]
async fn a_first_launch_shows_the_role_choice_whichever_tab_is_open() {
    let app = App::launch("first_screen_role_choice", Options::default()).await;
    let result = async {
        app.resize(800, 600).await?;
        // The window opens on the Library (its module comes with the page), and asks there.
        asks_which_one(&app, "library").await?;
        // The card's Set up is no longer the screen's primary action: the choice holds those.
        app.wait_for("#edit-azure-devops:not(.primary)").await.context("the Library card's Set up is still a primary")?;
        app.wait_gone("#library-skip").await.context("the first run also says to skip the Library")?;
        app.click("#tab-installations").await?;
        asks_which_one(&app, "installations").await?;
        // Keyboard alone: back to the Library tab with the arrow keys, the question is there.
        app.keys("\u{E012}").await?; // ArrowLeft
        asks_which_one(&app, "library").await
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn set_up_the_connector_library_opens_the_form_from_either_tab() {
    let app = App::launch("first_screen_set_up", Options::default()).await;
    let result = async {
        app.click("#library-set-up-azure-devops").await?;
        app.wait_visible("#entry-form").await.context("Set up on the Library did not open the form")?;
        app.wait_for("#field-client_id").await?;
        app.click("#cancel-entry").await?;
        // Nothing was saved: still a first run.
        app.wait_text("#library-first-run h3", QUESTION).await?;
        // From Installations: the Library tab, straight into the form.
        app.click("#tab-installations").await?;
        app.click("#installations-set-up-azure-devops").await?;
        app.wait_attr("#tab-library", "aria-selected", Some("true")).await.context("Set up did not switch to the Library")?;
        app.wait_visible("#entry-form").await.context("Set up on Installations did not open the form")?;
        app.wait_for("#field-client_id").await?;
        app.click("#cancel-entry").await?;
        // The own-app path on the Library: Installations, with the Install form open.
        app.click("#library-install-azure-devops").await?;
        app.wait_attr("#tab-installations", "aria-selected", Some("true")).await?;
        app.wait_visible("#field-organization").await.context("Install on the Library did not open the Install form")
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_an_installation_the_app_opens_on_installations() {
    let fake = FakeMicrosoft::start(World::demo()).await.unwrap();
    // An end user with their own app and nothing in the Library: the case that used to reopen on the Library.
    let first = launch("first_screen_own_app_install", &fake).await;
    let installed = async {
        let (_, secret, _) = demo(&fake);
        start_install(&first, "contoso", "Website").await?;
        own_app(&first, &fake, &secret, "vso.work_full vso.project").await?;
        first.click("#install-next").await?;
        first.click("#field-scopes_confirmed").await?;
        first.click("#sign-in").await?;
        in_sign_in_window(&first, "#accept").await?;
        first.wait_text("tr[data-installation]", "Own app").await.map(|_| ())
    }
    .await;
    if installed.is_err() {
        return first.finish(installed).await;
    }
    let stopped = first.quit().await;
    let opts = Options { env: vec![("CONNECTOR_CONSOLE_MICROSOFT_URL".into(), fake.base_url().into())], ..Options::default() };
    let app = App::restart("first_screen_reopens_on_installations", opts, stopped).await;
    let result = async {
        app.wait_attr("#tab-installations", "aria-selected", Some("true")).await.context("the window did not open on Installations")?;
        app.wait_text("#view-installations tr[data-installation]", "Website").await?;
        // Not a first run any more: the Library doesn't ask, it says there is nothing to set up.
        app.click("#tab-library").await?;
        app.wait_text("#library-skip", "Nothing to set up here").await?;
        app.wait_gone("#library-first-run").await.context("the Library still asks which one you are")?;
        app.wait_for("#edit-azure-devops.primary").await.context("the card's Set up is the Library's action again")
    }
    .await;
    app.finish(result).await;
}
