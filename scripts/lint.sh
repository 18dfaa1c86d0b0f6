#!/usr/bin/env bash
# Formatting, checked the same way for both languages: rustfmt for Rust,
# Prettier (pinned in tests/e2e/package.json, config in .prettierrc.json) for ui/;
# then TypeScript (pinned there too) checks ui/ against its JSDoc types (ui/tsconfig.json,
# the command payloads generated from the Rust types in ui/bindings/); then clippy over every crate and target, warnings
# as errors (the lints every crate takes are the [workspace.lints] table in Cargo.toml).
# `scripts/lint.sh --fix` rewrites the formatting instead of checking it.
set -euo pipefail
cd "$(dirname "$0")/.."
prettier=tests/e2e/node_modules/.bin/prettier
[ -x "$prettier" ] || { echo "Prettier missing: run scripts/setup.sh" >&2; exit 1; }
if [ "${1:-}" = --fix ]; then
  cargo fmt --all
  "$prettier" --log-level warn --write ui
else
  cargo fmt --all --check || { echo "Rust formatting differs: run scripts/lint.sh --fix" >&2; exit 1; }
  "$prettier" --log-level warn --check ui || { echo "ui/ formatting differs: run scripts/lint.sh --fix" >&2; exit 1; }
fi
# E2E tests read the page only through the harness's waits (tests/e2e/harness/waits.rs): a bare
# read right after a click races the render and fails once in N runs. So only the harness drives
# WebDriver, and timeouts and polling (WAIT, SLOW_WAIT, wait_until) come from it alone.
bare=$(grep -nE '\.client\b|webdriver\(|find_all|\.execute(_async)?\(|fantoccini::|sleep\(|const [A-Z_]*WAIT\b' tests/e2e/*.rs | grep -v '^tests/e2e/harness\.rs:' || true)
[ -z "$bare" ] || {
  printf '%s\n' "$bare" >&2
  echo "E2E tests above read the page, or wait, on their own: use a harness wait (wait_text, wait_count, wait_visible, wait_js ... in tests/e2e/harness/waits.rs; wait_until for files and processes)" >&2
  exit 1
}
# tsc checks only files that opt in with `// @ts-check` (ui/vendor/ is Tauri's, not checked): every other one must.
tsc=tests/e2e/node_modules/.bin/tsc
[ -x "$tsc" ] || { echo "TypeScript missing: run scripts/setup.sh" >&2; exit 1; }
unchecked=$(find ui -name '*.js' -not -path 'ui/vendor/*' -exec grep -L '^// @ts-check$' {} + || true)
[ -z "$unchecked" ] || { echo "ui/ files without // @ts-check (tsc skips them): $unchecked" >&2; exit 1; }
"$tsc" -p ui || { echo "ui/ type errors (above): fix the code, or the Rust payload types and regenerate ui/bindings/ (src-tauri/commands/bindings.rs)" >&2; exit 1; }
cargo clippy --workspace --all-targets --quiet -- -D warnings || { echo "clippy found problems (above)" >&2; exit 1; }
