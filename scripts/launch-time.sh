#!/usr/bin/env bash
# Prints the median time from spawning a Connector Console binary to its main
# window existing on the X display (xwininfo), over several runs, each on a
# fresh data folder. A coarse start-up figure for comparing two builds of the app.
# Usage: scripts/with-test-env.sh scripts/launch-time.sh BINARY [RUNS]
set -euo pipefail
bin=$1
runs=${2:-10}
command -v xwininfo >/dev/null || { echo "xwininfo missing (Debian package x11-utils)" >&2; exit 1; }
for _ in $(seq "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s%N)
  CONNECTOR_CONSOLE_DATA_DIR=$dir "$bin" >/dev/null 2>&1 &
  pid=$!
  until xwininfo -root -tree 2>/dev/null | grep -q '"Connector Console": ('; do sleep 0.005; done
  end=$(date +%s%N)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  echo $(((end - start) / 1000000))
done | sort -n | awk '{ t[NR] = $1 } END { printf "spawn -> main window on the display: median %d ms (min %d, max %d) over %d runs\n", t[int((NR + 1) / 2)], t[1], t[NR], NR }'
