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
  cargo build -p fake-microsoft -p connector-console
  echo "==> Launching Connector Console against the fake"
  exec bash scripts/demo.sh ./target/debug/fake-microsoft -- ./target/debug/connector-console
fi
echo "==> Launching Connector Console"
cargo run -p connector-console
