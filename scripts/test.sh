#!/usr/bin/env bash
# Sets up what is missing, checks formatting and lints, checks the dependencies' licences and
# the Windows and macOS bundle configuration, then runs every test: core unit and property
# tests, the fake Microsoft's tests, and the E2E tests in a real window under Xvfb with a real
# gnome-keyring in a private D-Bus session. Beside them it type-checks and lints the Windows and
# macOS builds and builds the .deb and .rpm; then it installs the .deb, starts it from its
# desktop entry and removes it again, and makes one smoke round of the start-up benchmark.
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
# The builds that need no display (the Windows and macOS type-check, the packages' release build,
# the benchmark's reference app) run beside the lint and the tests at the lowest priority and
# fill the cores the tests leave idle (scripts/builds-beside-tests.sh): a stage below waits for them.
beside_dir=target/beside-tests
beside_pid=""
stop_beside() { [ -z "$beside_pid" ] || kill -TERM -- "-$beside_pid" 2>/dev/null || true; }
wait_beside() {
  local status=0
  wait "$beside_pid" || status=$?
  beside_pid=""
  cat "$beside_dir/chain.log" "$beside_dir/log" 2>/dev/null || true
  while IFS= read -r line; do stages+=("$line"); done <"$beside_dir/durations"
  [ "$status" -eq 0 ] || { echo "FAILED: a build beside the tests (above)" >&2; return 1; }
}
trap 'stop_beside; print_stages' EXIT
stage "Setting up what is missing (scripts/setup.sh)" bash scripts/setup.sh
mkdir -p "$beside_dir"
# Its own process group (setsid), so that a failed stage stops it too.
setsid nice -n 19 ionice -c 3 bash scripts/builds-beside-tests.sh "$beside_dir" >"$beside_dir/chain.log" 2>&1 &
beside_pid=$!
stage "Checking formatting and lints (scripts/lint.sh)" bash scripts/lint.sh
stage "Checking dependencies' licences, bans and sources (cargo deny, deny.toml)" cargo deny check licenses bans sources
stage "Checking the Windows and macOS bundle configuration (scripts/bundle-check.sh)" bash scripts/bundle-check.sh
stage "Running every test (cargo test --workspace)" bash scripts/with-test-env.sh cargo test --workspace --no-fail-fast "$@"
stage "Waiting for the type-check and the release builds beside the tests" wait_beside
stage "Testing the installed .deb (scripts/test-package.sh)" bash scripts/test-package.sh
stage "Smoke run of the app-vs-reference benchmark (one round; it asserts no time)" bash scripts/bench-reference.sh 1
