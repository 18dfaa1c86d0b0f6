#!/usr/bin/env bash
# The builds that need no display, run by scripts/test.sh beside the tests, at the lowest CPU
# and I/O priority: the Windows and macOS type-check, the packages (the release build), and the
# benchmark's reference app and paint probe. The real-window tests mostly wait on a window
# (about a quarter of 2 cores busy over the E2E suite), so these fill the idle cores and the
# tests keep the CPU whenever they want it.
# Usage: builds-beside-tests.sh DIR — writes DIR/durations (each part's) and DIR/log.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
# test.sh starts this with setsid (its own process group, so a failed stage can stop it), which
# also makes it its own session. Where the kernel groups sessions for scheduling (autogroup), a
# session's CPU share ignores nice: a first run had the lint take 300 s instead of 146. The
# session's own weight is lowered too, only when this script leads its own session: run by hand
# from a terminal, it would lower that terminal's whole session.
if [ "$(ps -o sid= -p $$ | tr -d ' ')" = "$$" ] && [ -w /proc/self/autogroup ]; then
  echo 19 2>/dev/null >/proc/self/autogroup || true
fi
: >"$dir/durations"
part() { # "title" command... : runs one part and records its duration
  local title=$1 start
  shift
  echo "==> $title"
  start=$(date +%s)
  "$@"
  printf '%6ss  %s (beside the tests)\n' "$(($(date +%s) - start))" "$title" >>"$dir/durations"
}
# Two chains at once, in their own target folders, so that the release build's link-time
# optimisation, which ends on one core, leaves the other to the type-check. (One clean-clone run
# each showed no gain beyond run-to-run noise: 1402 s against 1289 s one after the other;
# docs/benchmarks.md.)
(part "Type-checking the Windows and macOS builds (scripts/platform-check.sh)" bash scripts/platform-check.sh) \
  >"$dir/platform.log" 2>&1 &
platform=$!
(
  set -e
  part "Building the packages (scripts/package.sh)" bash scripts/package.sh
  # What the benchmark's smoke run builds (scripts/bench-reference.sh): the app is the packages'
  # binary, already fresh; the reference app and the probe are built here.
  part "Building the benchmark's reference app and paint probe (release)" \
    cargo build --release -p connector-console -p reference-app -p paint-probe --features tauri/custom-protocol
) >"$dir/release.log" 2>&1 &
release=$!
status=0
wait "$platform" || status=1
wait "$release" || status=1
cat "$dir/platform.log" "$dir/release.log" >"$dir/log"
exit "$status"
