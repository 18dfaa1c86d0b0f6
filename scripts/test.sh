#!/usr/bin/env bash
# Sets up what is missing, checks formatting and lints, checks the dependencies' licences,
# type-checks and lints the Windows and macOS builds and checks their bundle configuration,
# then runs every test: core unit and property tests,
# the fake Microsoft's tests, and the E2E tests in a real window under Xvfb
# with a real gnome-keyring in a private D-Bus session; then it builds the .deb and .rpm,
# installs the .deb, starts it from its desktop entry and removes it again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> Checking formatting (scripts/lint.sh)"
bash scripts/lint.sh
echo "==> Checking dependencies' licences, bans and sources (cargo deny, deny.toml)"
cargo deny check licenses bans sources
echo "==> Type-checking the Windows and macOS builds (scripts/platform-check.sh)"
bash scripts/platform-check.sh
echo "==> Checking the Windows and macOS bundle configuration (scripts/bundle-check.sh)"
bash scripts/bundle-check.sh
echo "==> Running every test (cargo test --workspace)"
bash scripts/with-test-env.sh cargo test --workspace --no-fail-fast "$@"
echo "==> Building the packages and testing the installed .deb (scripts/package.sh, scripts/test-package.sh)"
bash scripts/package.sh
bash scripts/test-package.sh
echo "==> Smoke run of the app-vs-reference benchmark (one round; it asserts no time)"
bash scripts/bench-reference.sh 1
