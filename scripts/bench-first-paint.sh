#!/usr/bin/env bash
# Builds of the app against the bare Tauri 2 reference, from the window's pixels only
# (benches/paint-probe; no WebDriver), interleaved round by round so that every build
# meets the same machine: spawn -> window on the display, -> first paint, -> first screen
# complete. More rounds than scripts/bench-reference.sh in the same time (no memory
# reading, no WebDriver), for a before/after of a change to the first screen.
# Usage: scripts/bench-first-paint.sh [RUNS] [APP_BINARY...]
#   (default 30 rounds, and target/release/connector-console; pass a copy of an earlier
#   tree's build beside it for the before/after)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-builds.sh
runs=${1:-30}
shift || true
[ "$#" -gt 0 ] || set -- target/release/connector-console
ref=target/release/reference-app
results=$(mktemp)
trap 'rm -f "$results"' EXIT

probe() { # label binary title -> appends "label mapped paint complete"
  local dir pid mapped paint complete
  dir=$(mktemp -d)
  read -r pid mapped paint complete < <(CONNECTOR_CONSOLE_DATA_DIR=$dir target/release/paint-probe "$3" "$2")
  echo "$1 $mapped $paint $complete" >>"$results"
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -rf "$dir"
}

for i in $(seq "$runs"); do
  probe reference "$ref" Reference
  n=0
  for app in "$@"; do
    n=$((n + 1))
    probe "app$n" "$app" "Connector Console"
  done
  echo "round $i/$runs done" >&2
done

median() { # label column
  awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$results" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo "Medians of $runs interleaved rounds (ms from spawn; Xvfb, release builds), ratio to the reference:"
printf '%-44s %16s %16s %16s\n' build "window" "first paint" "complete"
r2=$(median reference 2)
r3=$(median reference 3)
r4=$(median reference 4)
printf '%-44s %16s %16s %16s\n' "reference ($ref)" "$r2" "$r3" "$r4"
n=0
for app in "$@"; do
  n=$((n + 1))
  cells=""
  for c in 2 3 4; do
    a=$(median "app$n" "$c")
    r=$(median reference "$c")
    cells+=$(printf ' %16s' "$a, $(awk -v a="$a" -v r="$r" 'BEGIN { printf "%.2f", a / r }')")
  done
  printf '%-44s%s\n' "$app" "$cells"
done
