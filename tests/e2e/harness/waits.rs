//! The only way a test reads the page: waits. Each polls until the state an action
//! should bring holds, or `WAIT` passes, and then fails saying what it waited for and
//! what it last saw. A read right after a click races the render (the clean-clone CI
//! failure counted a list's rows before Back had drawn them), so the one-shot readers
//! below are private to the harness and used only inside a poll.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;

use super::{App, TestResult, POLL, WAIT};

impl App {
    /// Polls `probe` until it returns `Ok` (the state holds) or `timeout` passes. Its `Err` is
    /// what the page showed instead, kept for the failure message.
    pub(super) async fn poll<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: impl AsyncFnMut() -> Result<T, String>,
    ) -> Result<T, String> {
        let deadline = Instant::now() + timeout;
        loop {
            match probe().await {
                Ok(v) => return Ok(v),
                Err(seen) if Instant::now() >= deadline => {
                    return Err(format!("waited {} s for {what}; last saw {seen}", timeout.as_secs()))
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    // One-shot readers: private, only for the polls below.

    async fn read_text(&self, css: &str) -> Result<String, String> {
        let el = self.client.find(Locator::Css(css)).await.map_err(|_| format!("no {css} on the page"))?;
        el.text().await.map_err(|e| format!("text of {css}: {e}"))
    }

    async fn read_js(&self, script: &str, args: &[&str]) -> Result<Value, String> {
        let args = args.iter().map(|a| Value::from(*a)).collect();
        self.client.execute(script, args).await.map_err(|e| format!("script {script:?}: {e}"))
    }

    /// The DOM's `textContent`: also the text of a hidden or clipped element, which WebDriver's
    /// visible text leaves empty.
    async fn read_content(&self, css: &str) -> Result<String, String> {
        let v = self.read_js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", &[css]).await?;
        v.as_str().map(str::to_string).ok_or_else(|| format!("no {css} on the page"))
    }

    async fn read_count(&self, css: &str) -> Result<usize, String> {
        self.client.find_all(Locator::Css(css)).await.map(|all| all.len()).map_err(|e| format!("find {css}: {e}"))
    }

    /// Whether the element is displayed; an absent one is not.
    async fn read_displayed(&self, css: &str) -> Result<bool, String> {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.is_displayed().await.map_err(|e| e.to_string()),
            Err(_) => Ok(false),
        }
    }

    async fn read_attr(&self, css: &str, name: &str) -> Result<Option<String>, String> {
        let el = self.client.find(Locator::Css(css)).await.map_err(|_| format!("no {css} on the page"))?;
        el.attr(name).await.map_err(|e| e.to_string())
    }

    async fn read_value(&self, css: &str) -> Result<String, String> {
        let el = self.client.find(Locator::Css(css)).await.map_err(|_| format!("no {css} on the page"))?;
        Ok(el.prop("value").await.map_err(|e| e.to_string())?.unwrap_or_default())
    }

    // The waits.

    /// Waits until an element matches `css`.
    pub async fn wait_for(&self, css: &str) -> TestResult {
        self.wait_for_within(css, WAIT).await
    }

    /// Waits longer than `WAIT` for an element: only for what comes by itself, after seconds
    /// by design (`SLOW_WAIT`: a background token refresh, the window's first load).
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> TestResult {
        self.poll(&format!("{css} to appear"), timeout, async || match self.read_count(css).await? {
            0 => Err("no match".to_string()),
            _ => Ok(()),
        })
        .await
    }

    /// Waits until exactly `n` elements match `css` (a list renders after the action that shows it).
    pub async fn wait_count(&self, css: &str, n: usize) -> TestResult {
        self.poll(&format!("{n} matches of {css}"), WAIT, async || match self.read_count(css).await? {
            found if found == n => Ok(()),
            found => Err(format!("{found} matches")),
        })
        .await
    }

    /// Waits until nothing matches `css` (the element is removed, not merely hidden).
    pub async fn wait_gone(&self, css: &str) -> TestResult {
        self.poll(&format!("{css} to be gone"), WAIT, async || match self.read_count(css).await? {
            0 => Ok(()),
            found => Err(format!("{found} matches")),
        })
        .await
    }

    /// Waits until the element's visible text passes `test` (`what` says what it should be); returns the text.
    pub async fn wait_text_where(&self, css: &str, what: &str, test: impl Fn(&str) -> bool) -> Result<String, String> {
        self.poll(&format!("the text of {css} to be {what}"), WAIT, async || {
            let text = self.read_text(css).await?;
            if test(&text) {
                Ok(text)
            } else {
                Err(format!("{text:?}"))
            }
        })
        .await
    }

    /// Waits until the element's visible text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Result<String, String> {
        self.wait_text_where(css, &format!("containing {needle:?}"), |t| t.contains(needle)).await
    }

    /// Waits until the element's visible text is exactly `expected`.
    pub async fn wait_text_is(&self, css: &str, expected: &str) -> TestResult {
        self.wait_text_where(css, &format!("{expected:?}"), |t| t == expected).await.map(|_| ())
    }

    /// Waits until the element is there and its visible text lacks `needle`; returns the text.
    pub async fn wait_no_text(&self, css: &str, needle: &str) -> Result<String, String> {
        self.wait_text_where(css, &format!("without {needle:?}"), |t| !t.contains(needle)).await
    }

    /// Waits until the element's DOM text (`textContent`, also of a hidden or clipped element)
    /// passes `test`; returns it.
    pub async fn wait_content_where(&self, css: &str, what: &str, test: impl Fn(&str) -> bool) -> Result<String, String> {
        self.poll(&format!("the DOM text of {css} to be {what}"), WAIT, async || {
            let text = self.read_content(css).await?;
            if test(&text) {
                Ok(text)
            } else {
                Err(format!("{text:?}"))
            }
        })
        .await
    }

    /// Waits until the element's DOM text contains `needle`; returns it.
    pub async fn wait_content(&self, css: &str, needle: &str) -> Result<String, String> {
        self.wait_content_where(css, &format!("containing {needle:?}"), |t| t.contains(needle)).await
    }

    /// Waits until the element's DOM text is empty (an error cleared, say).
    pub async fn wait_content_empty(&self, css: &str) -> TestResult {
        self.wait_content_where(css, "empty", str::is_empty).await.map(|_| ())
    }

    /// Waits until the element is displayed (a hidden view keeps its elements, so presence is not enough).
    pub async fn wait_visible(&self, css: &str) -> TestResult {
        self.poll(&format!("{css} to be visible"), WAIT, async || match self.read_displayed(css).await? {
            true => Ok(()),
            false => Err("it hidden or not there".to_string()),
        })
        .await
    }

    /// Waits until the element is hidden or absent.
    pub async fn wait_hidden(&self, css: &str) -> TestResult {
        self.poll(&format!("{css} to be hidden"), WAIT, async || match self.read_displayed(css).await? {
            false => Ok(()),
            true => Err("it displayed".to_string()),
        })
        .await
    }

    /// Waits until the attribute passes `test` (`None`: the element lacks it); returns its value.
    pub async fn wait_attr_where(
        &self,
        css: &str,
        name: &str,
        what: &str,
        test: impl Fn(Option<&str>) -> bool,
    ) -> Result<Option<String>, String> {
        self.poll(&format!("{name} of {css} to be {what}"), WAIT, async || {
            let value = self.read_attr(css, name).await?;
            if test(value.as_deref()) {
                Ok(value)
            } else {
                Err(format!("{value:?}"))
            }
        })
        .await
    }

    /// Waits until the attribute is `expected` (`None`: absent).
    pub async fn wait_attr(&self, css: &str, name: &str, expected: Option<&str>) -> TestResult {
        self.wait_attr_where(css, name, &format!("{expected:?}"), |v| v == expected).await.map(|_| ())
    }

    /// Waits until the attribute is `want`, up to `timeout`; returns every value it had on
    /// the way, in order (a status that should pass through a state on its way).
    pub async fn watch_attr(&self, css: &str, name: &str, want: &str, timeout: Duration) -> Result<Vec<String>, String> {
        let mut seen: Vec<String> = Vec::new();
        self.poll(&format!("{name} of {css} to be {want:?}"), timeout, async || {
            let value = self.read_attr(css, name).await?.unwrap_or_default();
            if seen.last() != Some(&value) {
                seen.push(value.clone());
            }
            if value == want {
                Ok(())
            } else {
                Err(format!("{seen:?}"))
            }
        })
        .await?;
        Ok(seen)
    }

    /// Waits until the form control's `value` is `expected`.
    pub async fn wait_value(&self, css: &str, expected: &str) -> TestResult {
        self.poll(&format!("the value of {css} to be {expected:?}"), WAIT, async || match self.read_value(css).await? {
            v if v == expected => Ok(()),
            v => Err(format!("{v:?}")),
        })
        .await
    }

    /// Waits until the element with keyboard focus matches `css` (`button#sign-in` checks the tag too).
    pub async fn wait_focus(&self, css: &str) -> TestResult {
        let script = "const e = document.activeElement;
            return e && e.matches(arguments[0]) ? true : e ? e.tagName.toLowerCase() + '#' + e.id : 'nothing';";
        self.poll(&format!("the focus on {css}"), WAIT, async || match self.read_js(script, &[css]).await? {
            Value::Bool(true) => Ok(()),
            other => Err(format!("the focus on {other}")),
        })
        .await
    }

    /// Waits until the app has `n` windows (a sign-in window opens or closes after the click).
    pub async fn wait_windows(&self, n: usize) -> TestResult {
        self.poll(&format!("{n} windows"), WAIT, async || match self.client.windows().await.map_err(|e| e.to_string())?.len() {
            found if found == n => Ok(()),
            found => Err(format!("{found} windows")),
        })
        .await
    }

    /// Waits until `script` returns `true`; anything else it returns is what it last saw, so
    /// a script can say why not (`return ok || [scrollWidth, innerWidth];`). `arguments[i]` is `args[i]`.
    pub async fn wait_js(&self, what: &str, script: &str, args: &[&str]) -> TestResult {
        self.poll(what, WAIT, async || match self.read_js(script, args).await? {
            Value::Bool(true) => Ok(()),
            other => Err(other.to_string()),
        })
        .await
    }
}
