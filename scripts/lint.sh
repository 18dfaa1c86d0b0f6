#!/usr/bin/env bash
# Formatting, checked the same way for both languages: rustfmt for Rust,
# Prettier (pinned in tests/e2e/package.json, config in .prettierrc.json) for ui/;
# then clippy over every crate and target, warnings as errors (the lints every crate
# takes are the [workspace.lints] table in Cargo.toml).
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
cargo clippy --workspace --all-targets --quiet -- -D warnings || { echo "clippy found problems (above)" >&2; exit 1; }
