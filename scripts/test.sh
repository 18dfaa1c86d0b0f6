#!/usr/bin/env bash
# Sets up what is missing, checks formatting and lints, checks the dependencies' licences,
# type-checks and lints the Windows and macOS builds and checks their bundle configuration,
# then runs every test: core unit and property tests,
# the fake Microsoft's tests, and the E2E tests in a real window under Xvfb
# with a real gnome-keyring in a private D-Bus session; then it builds the .deb and .rpm,
# installs the .deb, starts it from its desktop entry and removes it again.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage is timed; the table at the end says where a run's time went (docs/benchmarks.md).
stages=()
stage() { # "title" command... : runs one stage and records its duration
  local title=$1 start
  shift
  echo "==> $title"
  start=$(date +%s)
  "$@"
  stages+=("$(printf '%6ss  %s' "$(($(date +%s) - start))" "$title")")
}
run_started=$(date +%s)
print_stages() { # also when a stage fails: a red run says where its time went, too
  echo "==> Stage durations"
  [ "${#stages[@]}" -eq 0 ] || printf '%s\n' "${stages[@]}"
  printf '%6ss  total\n' "$(($(date +%s) - run_started))"
}
trap print_stages EXIT
stage "Setting up what is missing (scripts/setup.sh)" bash scripts/setup.sh
stage "Checking formatting and lints (scripts/lint.sh)" bash scripts/lint.sh
stage "Checking dependencies' licences, bans and sources (cargo deny, deny.toml)" cargo deny check licenses bans sources
stage "Type-checking the Windows and macOS builds (scripts/platform-check.sh)" bash scripts/platform-check.sh
stage "Checking the Windows and macOS bundle configuration (scripts/bundle-check.sh)" bash scripts/bundle-check.sh
stage "Running every test (cargo test --workspace)" bash scripts/with-test-env.sh cargo test --workspace --no-fail-fast "$@"
stage "Building the packages (scripts/package.sh)" bash scripts/package.sh
stage "Testing the installed .deb (scripts/test-package.sh)" bash scripts/test-package.sh
stage "Smoke run of the app-vs-reference benchmark (one round; it asserts no time)" bash scripts/bench-reference.sh 1
