#!/usr/bin/env bash
# A mutation run (cargo-mutants) over the code where a missed bug is a security or a
# data-loss bug: store/, microsoft/oauth/, services/tokens/, services/signin/,
# services/migration/ and the Git credential helper. Hours on 2 cores: it is a documented
# long run, not part of CI or scripts/test.sh. It prints how many mutants the tests caught,
# missed, timed out on, and could not build (unviable), and the caught share of the viable ones.
#
#   flock /tmp/cargo.lock bash scripts/mutants.sh                 # everything above
#   flock /tmp/cargo.lock bash scripts/mutants.sh --file src-tauri/core/src/store/policy.rs
#   # the same, building and running only the library's tests and one test binary (faster; a
#   # mutant missed this way may still be caught by a binary left out: re-check with --re)
#   flock /tmp/cargo.lock bash scripts/mutants.sh --file src-tauri/core/src/store/policy.rs \
#     --cargo-arg=--lib --cargo-arg=--test=policy
#
# Arguments replace the default file list (any cargo-mutants option may follow). Settings
# are in .cargo/mutants.toml; the report is in target/mutants/mutants.out (missed.txt
# lists each surviving mutant with its diff in the log folder). The core's tests use the
# keychain, so the run happens inside scripts/with-test-env.sh. cargo-mutants and
# cargo-nextest are installed from crates.io (`cargo install --locked`) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo mutants --version >/dev/null 2>&1; then
  echo "==> cargo-mutants is missing: cargo install cargo-mutants --locked"
  cargo install cargo-mutants --locked
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "==> cargo-nextest (the test runner in .cargo/mutants.toml) is missing: cargo install cargo-nextest --locked"
  cargo install cargo-nextest --locked
fi
if [ "$#" -eq 0 ]; then
  set -- \
    --file 'src-tauri/core/src/store/**/*.rs' \
    --file 'src-tauri/core/src/microsoft/oauth/**/*.rs' \
    --file 'src-tauri/core/src/services/tokens/**/*.rs' \
    --file 'src-tauri/core/src/services/signin/**/*.rs' \
    --file 'src-tauri/core/src/services/migration/**/*.rs' \
    --file 'src-tauri/cli/src/git_credential.rs'
fi
# MUTANTS_OUT names the report folder, so that runs over different files keep their reports.
out="${MUTANTS_OUT:-target/mutants}"
case "$out" in /*) echo "MUTANTS_OUT is a folder under the repository (relative)" >&2; exit 2 ;; esac
rm -rf "$out/mutants.out" # a run that fails to start must not be counted from an older report
# cargo-mutants builds each mutant in a copy of the tree; one build folder kept across runs
# means only the first run compiles the dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/mutants-build}"
started=$(date +%s)
# One job: 2 cores, and the tests of one mutant already use both. cargo-mutants exits 2
# when a mutant was missed and 3 when one timed out: the summary comes first, then that status.
status=0
# The mutants are made from HEAD, never from a working tree with edits in progress: a test
# broken by an unfinished edit would count every mutant as caught. cargo-mutants copies the
# source folder it is given, so it is given a clone of HEAD.
src="$(mktemp -d -t mutants-src.XXXXXX)"
trap 'rm -rf "$src"' EXIT
git clone --quiet --shared . "$src"
echo "mutants of $(git -C "$src" log -1 --format='%h %s' | cut -c1-72)"
bash scripts/with-test-env.sh cargo mutants --dir "$src" --workspace --jobs 1 --output "$PWD/$out" "$@" || status=$?
count() {
  local f="$out/mutants.out/$1.txt"
  if [ -f "$f" ]; then grep -c . "$f" || true; else echo 0; fi
}
caught=$(count caught) missed=$(count missed) timeout=$(count timeout) unviable=$(count unviable)
viable=$((caught + missed + timeout))
echo "caught $caught, missed $missed, timeout $timeout, unviable $unviable"
if [ "$viable" -gt 0 ]; then
  awk -v c="$caught" -v v="$viable" 'BEGIN { printf "caught %.1f%% of %d viable mutants\n", 100 * c / v, v }'
fi
echo "run time: $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s"
exit "$status"
