#!/usr/bin/env bash
# The app against a bare Tauri 2 app (benches/reference-app: same Tauri version and
# features, same release profile, one heading, same window size), interleaved in one
# run: spawn -> window on the display, spawn -> first paint (the window's pixels are no
# longer one colour, read from the X server every 2 ms by benches/paint-probe; no
# WebDriver), spawn -> first screen complete (the pixels' last change before 1.5 s without
# one), memory 5 s after that (the process and the
# WebKit processes it started), and the stripped binary size. Then, through WebDriver
# (tauri-driver), spawn -> first contentful paint (WebKit's own paint timing) and
# spawn -> ready (the app: its first screen filled in, the 'first-screen-ready' mark;
# the reference: its load event). Prints medians, the ratio and the target.
# Usage: [BENCH_APP=path] scripts/bench-reference.sh [RUNS]   (default 12)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-builds.sh
runs=${1:-12}
# BENCH_APP: another build of the app to measure in its place (a copy of an earlier tree's,
# for a before/after table in one run's conditions).
app=${BENCH_APP:-target/release/connector-console}
ref=target/release/reference-app

kib_tree() { # RSS of a process and its children, KiB
  local total=0 pid
  for pid in "$1" $(ps -o pid= --ppid "$1"); do
    total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

measure() { # binary title -> "mapped_ms paint_ms rss_kib complete_ms"
  local bin=$1 title=$2 dir pid mapped paint complete
  dir=$(mktemp -d)
  read -r pid mapped paint complete < <(CONNECTOR_CONSOLE_DATA_DIR=$dir target/release/paint-probe "$title" "$bin")
  sleep 5
  echo "$mapped $paint $(kib_tree "$pid") $complete"
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -rf "$dir"
}

# One WebDriver session: spawn (session request) -> FCP and -> ready, in ms.
wd_port=$((4800 + RANDOM % 100))
wd_measure() { # binary -> "fcp_ms ready_ms"
  local bin dir start sid out
  bin=$(readlink -f "$1")
  dir=$(mktemp -d)
  start=$(date +%s%3N)
  sid=$(CONNECTOR_CONSOLE_DATA_DIR=$dir curl -sf -X POST "localhost:$wd_port/session" -H 'content-type: application/json' \
    -d "{\"capabilities\":{\"alwaysMatch\":{\"tauri:options\":{\"application\":\"$bin\"}}}}" |
    sed -E 's/.*"sessionId":"([^"]+)".*/\1/')
  local script='const p = performance.getEntriesByName("first-contentful-paint")[0];
    const r = performance.getEntriesByName("first-screen-ready")[0];
    const n = performance.getEntriesByType("navigation")[0];
    if (!p || !n || !n.loadEventEnd || (document.title !== "Reference" && !r)) return "wait";
    const ready = document.title === "Reference" ? n.loadEventEnd : r.startTime;
    const at = (t) => Math.round(performance.timeOrigin + t);
    return at(p.startTime) + " " + at(ready);'
  script=$(printf '%s' "$script" | tr '\n' ' ' | sed 's/"/\\"/g')
  for _ in $(seq 200); do
    out=$(curl -sf -X POST "localhost:$wd_port/session/$sid/execute/sync" -H 'content-type: application/json' \
      -d "{\"script\":\"$script\",\"args\":[]}" | sed -E 's/.*"value":"([^"]*)".*/\1/')
    [ -n "$out" ] && [ "$out" != wait ] && break
    sleep 0.05
  done
  curl -sf -X DELETE "localhost:$wd_port/session/$sid" >/dev/null
  rm -rf "$dir"
  set -- $out
  echo "$(($1 - start)) $(($2 - start))"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >/tmp/bench-app.txt
: >/tmp/bench-ref.txt
for i in $(seq "$runs"); do
  measure "$app" "Connector Console" >>/tmp/bench-app.txt
  measure "$ref" "Reference" >>/tmp/bench-ref.txt
  echo "run $i/$runs done" >&2
done

tauri-driver --port "$wd_port" --native-port $((wd_port + 100)) >/dev/null 2>&1 &
driver=$!
trap 'kill $driver 2>/dev/null || true' EXIT
sleep 0.5
: >/tmp/bench-app-wd.txt
: >/tmp/bench-ref-wd.txt
for i in $(seq "$runs"); do
  wd_measure "$app" >>/tmp/bench-app-wd.txt
  wd_measure "$ref" >>/tmp/bench-ref-wd.txt
  echo "WebDriver run $i/$runs done" >&2
done

row() { # label column unit target [suffix of the result files]
  local a r
  a=$(awk -v c="$2" '{ print $c }' "/tmp/bench-app${5:-}.txt" | median)
  r=$(awk -v c="$2" '{ print $c }' "/tmp/bench-ref${5:-}.txt" | median)
  printf '%-44s app %8s %-3s reference %8s %-3s ratio %5s  target %s\n' "$1" "$a" "$3" "$r" "$3" "$(awk -v a="$a" -v r="$r" 'BEGIN { printf "%.2f", a / r }')" "$4"
}
echo "App vs bare Tauri 2 reference, medians of $runs interleaved runs (Xvfb, release builds):"
row "spawn -> window on the display" 1 ms "-"
row "spawn -> first paint (pixels, no WebDriver)" 2 ms "<= 1.05"
row "spawn -> first screen complete (pixels)" 4 ms "-"
row "RSS 5 s after the screen is complete (+ WebKit)" 3 KiB "<= 1.15"
row "spawn -> first contentful paint (WebDriver)" 1 ms "<= 1.05" -wd
row "spawn -> ready (WebDriver)" 2 ms "<= 1.05" -wd
as=$(stat -c %s "$app")
rs=$(stat -c %s "$ref")
printf '%-44s app %8s %-3s reference %8s %-3s ratio %5s  target %s\n' "binary size (stripped)" "$as" B "$rs" B "$(awk -v a="$as" -v r="$rs" 'BEGIN { printf "%.2f", a / r }')" "<= 1.50"
