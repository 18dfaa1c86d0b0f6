//! Accessibility of the real window: axe-core (WCAG 2 A and AA rules) runs
//! inside each screen, and any serious or critical violation fails the test;
//! and every control's edge is checked at 3:1 (WCAG 1.4.11), which axe does not test.

use serde_json::Value;

use crate::ensure;
use crate::harness::{App, Options};

/// Fails on any serious or critical violation. Callers first wait for the screen it checks.
pub async fn axe(app: &App, screen: &str) -> Result<(), String> {
    let violations = app.axe_violations().await?;
    ensure!(
        violations.is_empty(),
        "{screen}: accessibility violations:\n{}",
        violations.iter().map(Value::to_string).collect::<Vec<_>>().join("\n")
    );
    Ok(())
}

/// WCAG 1.4.11 in the page: each visible, enabled input, select, textarea and button that draws
/// an edge (a border, or a filled background) must show it at 3:1 or more against the colour
/// behind it (its ancestors' backgrounds, blended). A control with neither (a link-styled
/// button, a tab) is known by its text, which axe's text contrast covers. Returns the
/// controls checked, or the ones under 3:1.
const CONTROL_CONTRAST: &str = r#"
const rgba = (c) => {
  const srgb = c.match(/color\(srgb ([^)]+)\)/);
  const nums = (srgb ? srgb[1] : (c.match(/rgba?\(([^)]+)\)/) || [, ''])[1]).split(/[\s,\/]+/).filter(Boolean).map(Number);
  if (nums.length < 3) return [0, 0, 0, 0];
  const [r, g, b] = srgb ? nums.slice(0, 3).map((v) => v * 255) : nums;
  return [r, g, b, nums.length > 3 ? nums[3] : 1];
};
const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
const lum = (c) => {
  const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
const behind = (el) => {
  const layers = [];
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] === 1) break;
  }
  return layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
};
const low = [];
let checked = 0;
for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  if (el.disabled || r.width <= 1 || r.height <= 1 || r.right <= 0 || s.visibility !== 'visible' || el.closest('[hidden], [inert]')) continue;
  const back = behind(el);
  const fill = over(rgba(s.backgroundColor), back);
  const edge = rgba(s.borderTopColor);
  const bordered = parseFloat(s.borderTopWidth) >= 1 && edge[3] > 0;
  if (!bordered && rgba(s.backgroundColor)[3] === 0) continue;
  checked++;
  const best = Math.max(ratio(fill, back), bordered ? ratio(over(edge, fill), back) : 0);
  if (best < 3) low.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.placeholder || '').trim().slice(0, 30)}" ${best.toFixed(2)}:1`);
}
return low.length === 0 && checked > 0 ? true : (low.length ? low : 'no control to check');
"#;

/// Fails when a control's edge is under 3:1 against what is behind it. Callers first wait for the screen.
pub async fn control_contrast(app: &App, screen: &str) -> Result<(), String> {
    app.wait_js(&format!("{screen}: every control's edge at 3:1 or more"), CONTROL_CONTRAST, &[]).await
}

#[tokio::test]
async fn every_screen_passes_axe() {
    let app = App::launch("a11y_axe", Options::default()).await;
    let result = async {
        app.wait_for("[data-connector]").await?;
        axe(&app, "Connector Library").await?;
        control_contrast(&app, "Connector Library").await?;
        app.click("#edit-azure-devops").await?;
        app.wait_for("#field-scopes-search").await?;
        axe(&app, "library entry form (Entra)").await?;
        app.click("#auth-legacy").await?;
        app.wait_for("#field-service_domain").await?;
        app.click("#save-entry").await?;
        app.wait_for("#field-client_id[aria-invalid='true']").await?;
        axe(&app, "library entry form with errors").await?;
        control_contrast(&app, "library entry form with errors").await?;
        app.click("#tab-installations").await?;
        app.wait_for("#install-azure-devops").await?;
        axe(&app, "Installations").await?;
        app.click("#install-azure-devops").await?;
        app.wait_for("#field-organization").await?;
        axe(&app, "Install form").await?;
        control_contrast(&app, "Install form").await
    }
    .await;
    app.finish(result).await;
}
