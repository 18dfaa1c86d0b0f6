#!/usr/bin/env bash
# scripts/flake-check.sh N: runs the timing-sensitive tests N times on the current tree and
# names every test that failed in any run, as "failures/N  suite: test", then a total line;
# exits 1 if any test failed.
#
# Why: a test that fails once in N runs is a defect (a read that races the render, a
# guessed sleep, two processes racing), to be found and fixed, never retried away. One
# green run says little; N runs give the rate. A clean-clone CI run once failed on an E2E
# test that counted rows before the list had rendered.
#
# What runs, each with --no-fail-fast inside scripts/with-test-env.sh (Xvfb, a private
# D-Bus session and gnome-keyring, fresh for every run):
#   e2e   the real-window E2E suite (cargo test --test e2e)
#   cli   the command-line tests (cargo test --test cli)
#   core  connector-core's tests that start several processes or contend on files:
#         two_processes, races, single_instance, settings_crash
# Everything is built once first, so every run tests the same binaries. Each run's output
# stays in a temp folder (printed at the end) for the failures' details.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || {
  echo "usage: scripts/flake-check.sh N   (N runs, at least 1)" >&2
  exit 2
}

# "name|cargo test arguments" (split into words on purpose below).
suites=(
  "e2e|--test e2e"
  "cli|--test cli"
  "core|-p connector-core --test two_processes --test races --test single_instance --test settings_crash"
)
logs="$(mktemp -d -t flake-check.XXXXXX)"

# A fresh clone has no tests/e2e/node_modules (axe-core, for the accessibility checks) and
# perhaps no tauri-driver: every E2E run would fail on that, not on a flake. Idempotent.
bash scripts/setup.sh >"$logs/setup.log" 2>&1 || {
  tail -n 40 "$logs/setup.log" >&2
  echo "scripts/setup.sh failed: nothing was run (log: $logs/setup.log)" >&2
  exit 1
}

for s in "${suites[@]}"; do
  name="${s%%|*}"
  read -ra args <<<"${s#*|}"
  echo "Building $name (cargo test ${args[*]} --no-run) ..."
  cargo test "${args[@]}" --no-run >"$logs/build-$name.log" 2>&1 || {
    tail -n 40 "$logs/build-$name.log" >&2
    echo "The build failed: nothing was run (log: $logs/build-$name.log)" >&2
    exit 1
  }
done

for ((i = 1; i <= runs; i++)); do
  for s in "${suites[@]}"; do
    name="${s%%|*}"
    read -ra args <<<"${s#*|}"
    log="$logs/run-$i-$name.log"
    start=$SECONDS
    rc=0
    bash scripts/with-test-env.sh cargo test "${args[@]}" --no-fail-fast >"$log" 2>&1 || rc=$?
    echo "$rc" >"$log.rc"
    echo "run $i/$runs  $name: exit $rc after $((SECONDS - start)) s"
  done
done

# One line per test result: "suite: test<TAB>ok|FAILED". libtest prints "test NAME ... ok";
# a test's own stderr can share that line, so the match is not anchored.
results="$logs/results.tsv"
: >"$results"
for log in "$logs"/run-*.log; do
  name="$(basename "$log" .log)"
  name="${name#run-*-}"
  grep -oE 'test [^ ]+ \.\.\. (ok|FAILED)' "$log" | awk -v s="$name" '{ print s ": " $2 "\t" $4 }' >>"$results" || true
  # A run that failed without naming a failed test (a crash, a hang cut short, a build
  # error) is a failure too: count it under the suite's name.
  if [ "$(cat "$log.rc")" != 0 ] && ! grep -qE 'test [^ ]+ \.\.\. FAILED' "$log"; then
    printf '%s: (a run that failed without naming a test; see its exit above)\tFAILED\n' "$name" >>"$results"
  fi
done

echo
echo "Tests that failed at least once in $runs runs:"
awk -F '\t' -v n="$runs" '
  { seen[$1] = 1; if ($2 == "FAILED") failed[$1]++ }
  END {
    tests = 0; flaky = 0; total = 0
    for (t in seen) tests++
    for (t in failed) { printf "%d/%d  %s\n", failed[t], n, t | "sort -t/ -k1,1nr -k2"; flaky++; total += failed[t] }
    close("sort -t/ -k1,1nr -k2")
    if (flaky == 0) print "  (none)"
    printf "Total: %d failures in %d of %d tests over %d runs\n", total, flaky, tests, n
    exit flaky > 0 ? 1 : 0
  }' "$results" && status=0 || status=$?
echo "Logs: $logs"
exit "$status"
