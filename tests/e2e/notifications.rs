//! Desktop notifications, observed for real: the test owns org.freedesktop.Notifications on
//! the private session bus scripts/with-test-env.sh runs, and records the app's Notify calls.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dbus::blocking::Connection;
use dbus::channel::MatchingReceiver;
use dbus::message::MatchRule;
use dbus::Message;
use fake_microsoft::{FakeMicrosoft, World};

use crate::ensure;
use crate::harness::{wait_until, App, Context, SLOW_WAIT, WAIT};
use crate::sign_in::{in_sign_in_window, launch, next_and_sign_in, share_demo_app, start_install};

const ROW: &str = "tr[data-installation]";
const STATUS: &str = "tr[data-installation] [data-status]";

/// A notification server that only records: (summary, body) of each Notify call.
struct Recorder {
    seen: Arc<Mutex<Vec<(String, String)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn answer(msg: &Message, seen: &Mutex<Vec<(String, String)>>) -> Option<Message> {
    match msg.member().as_deref() {
        Some("Notify") => {
            let (_app, _replaces, _icon, summary, body): (String, u32, String, String, String) = msg.read5().ok()?;
            let mut seen = seen.lock().unwrap();
            seen.push((summary, body));
            Some(msg.method_return().append1(seen.len() as u32))
        }
        Some("GetCapabilities") => Some(msg.method_return().append1(vec!["body".to_string()])),
        Some("GetServerInformation") => Some(msg.method_return().append1("recorder").append1("tests").append1("1").append1("1.2")),
        _ => None,
    }
}

impl Recorder {
    fn start() -> Recorder {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (ready, started) = std::sync::mpsc::channel();
        let (log, done) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let bus = Connection::new_session().expect("the test's session bus (run under scripts/with-test-env.sh)");
            bus.request_name("org.freedesktop.Notifications", true, true, true).expect("own org.freedesktop.Notifications");
            bus.start_receive(
                MatchRule::new_method_call(),
                Box::new(move |msg, bus| {
                    if let Some(reply) = answer(&msg, &log) {
                        let _ = dbus::channel::Sender::send(bus, reply);
                    }
                    true
                }),
            );
            ready.send(()).unwrap();
            while !done.load(Ordering::Relaxed) {
                let _ = bus.process(Duration::from_millis(100));
            }
        });
        started.recv().expect("the recorder started");
        Recorder { seen, stop, thread: Some(thread) }
    }

    fn about(&self, which: &str) -> Vec<(String, String)> {
        self.seen.lock().unwrap().iter().filter(|(summary, body)| summary.contains(which) || body.contains(which)).cloned().collect()
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A shared legacy app, contoso / Fabrikam Fiber installed.
async fn install(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    share_demo_app(app, fake).await?;
    start_install(app, "contoso", "Fabrikam Fiber").await?;
    next_and_sign_in(app, false).await?;
    in_sign_in_window(app, "#accept").await?;
    app.wait_text("#install-connected", "Connected to ").await.map(drop)
}

/// Its refresh token revoked: the background refresh (a 6-second access token) ends in Needs re-auth.
async fn revoke(app: &App, fake: &FakeMicrosoft) -> Result<(), String> {
    fake.with(|w| w.revoke_all_refresh_tokens());
    app.watch_attr(STATUS, "data-status", "needs_reauth", SLOW_WAIT).await.map(drop)
}

fn short_lived() -> World {
    let mut world = World::demo();
    world.lifetimes.access_token = Duration::from_secs(6);
    world
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_background_refresh_ending_in_needs_reauth_raises_one_notification() {
    let fake = FakeMicrosoft::start(short_lived()).await.unwrap();
    let app = launch("notifications_one", &fake).await;
    let recorder = Recorder::start();
    let result = async {
        install(&app, &fake).await?;
        revoke(&app, &fake).await?;
        let which = "contoso / Fabrikam Fiber";
        let first = wait_until("a notification naming the installation", SLOW_WAIT, || match recorder.about(which).as_slice() {
            [one] => Ok(one.clone()),
            other => Err(format!("{other:?}")),
        })
        .await?;
        ensure!(first.1.contains("Re-authenticate"), "the notification says what to do: {first:?}");
        // Test connection fails the same way; the row says so, and no second notification comes.
        app.row_menu(ROW, "test").await?;
        app.wait_content_where(&format!("{ROW} [data-cell=test-result]"), "the failed test", |t| !t.is_empty())
            .await
            .context("Test connection answered")?;
        app.wait_attr(STATUS, "data-status", Some("needs_reauth")).await?;
        ensure!(recorder.count() == 1, "one notification a day per installation, got {:?}", recorder.seen.lock().unwrap());
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_setting_off_no_notification_is_sent() {
    let fake = FakeMicrosoft::start(short_lived()).await.unwrap();
    let app = launch("notifications_off", &fake).await;
    let recorder = Recorder::start();
    let result = async {
        install(&app, &fake).await?;
        app.click(".settings summary").await?;
        app.wait_visible("#field-desktop_notifications").await?;
        app.click("#field-desktop_notifications").await?;
        app.wait_text("#field-desktop_notifications-note", "Saved.").await?;
        revoke(&app, &fake).await?;
        // The refresh's Needs re-auth is on disk (the notification would have been claimed
        // in the same moment); nothing was remembered and nothing was sent.
        let settings = app.data_dir.join("settings.json");
        wait_until("the Needs re-auth saved", WAIT, || {
            let text = std::fs::read_to_string(&settings).map_err(|e| e.to_string())?;
            text.contains("\"needs_reauth\": \"").then_some(text.clone()).ok_or(text)
        })
        .await
        .and_then(|text| {
            ensure!(text.contains("\"desktop_notifications\": false") && !text.contains("notified_at"), "{text}");
            Ok(())
        })?;
        ensure!(recorder.count() == 0, "notifications sent with the setting off: {:?}", recorder.seen.lock().unwrap());
        Ok(())
    }
    .await;
    app.finish(result).await;
}
