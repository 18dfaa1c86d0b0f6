#!/usr/bin/env bash
# Sets up what running needs, then builds and launches Connector Console.
# Pass --demo to also start the fake Microsoft service and point the app at it
# (no real Microsoft account needed; see docs/user-guide.md, "Offline demo").
# The demo uses a throw-away data folder and the fake's own free port, so no real
# installation ever meets the fake, and nothing else listening on a port gets a token.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --run
if [ "${1:-}" = "--demo" ]; then
  cargo build -p fake-microsoft
  demo_dir="$(mktemp -d)"
  log="$demo_dir/fake-microsoft.log"
  ./target/debug/fake-microsoft --port 0 >"$log" 2>&1 &
  fake=$!
  trap 'kill $fake 2>/dev/null; rm -rf "$demo_dir"' EXIT
  # The fake says where it listens once it does; wait for that line from *this* process.
  url=""
  for _ in $(seq 100); do
    url="$(sed -n 's/^Fake Microsoft listening on //p' "$log" | head -n1)"
    [ -n "$url" ] && break
    kill -0 "$fake" 2>/dev/null || { cat "$log" >&2; echo "The fake Microsoft service did not start." >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "The fake Microsoft service did not say where it listens." >&2; exit 1; }
  echo "==> Fake Microsoft on $url; demo data in $demo_dir (removed on exit)"
  export CONNECTOR_CONSOLE_MICROSOFT_URL="$url"
  export CONNECTOR_CONSOLE_DATA_DIR="$demo_dir/data"
fi
echo "==> Launching Connector Console"
cargo run -p connector-console
