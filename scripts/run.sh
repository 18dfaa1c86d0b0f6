#!/usr/bin/env bash
# Sets up what is missing, then builds and launches Connector Console.
# Pass --demo to also start the fake Microsoft service and point the app at it
# (no real Microsoft account needed; see docs/user-guide.md, "Offline demo").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--demo" ]; then
  echo "==> Starting the fake Microsoft service on http://127.0.0.1:8700"
  cargo build -p fake-microsoft
  ./target/debug/fake-microsoft --port 8700 &
  fake=$!
  trap 'kill $fake 2>/dev/null' EXIT
  export CONNECTOR_CONSOLE_MICROSOFT_URL=http://127.0.0.1:8700
fi
echo "==> Launching Connector Console"
cargo run -p connector-console
