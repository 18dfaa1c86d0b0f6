#!/usr/bin/env bash
# The offline demo's set-up, shared by `./scripts/run.sh --demo` and its test
# (tests/fake-microsoft/tests/demo_script.rs): starts the fake Microsoft service on a free
# port, prints in the terminal what a newcomer types into the app (the App ID, Client Secret,
# organizations, projects and the account to sign in as), then runs the given command with
# the app's endpoint override and a throw-away data folder, and cleans both up after it.
#   scripts/demo.sh FAKE_BINARY -- COMMAND...
# The app reaches the fake only through CONNECTOR_CONSOLE_MICROSOFT_URL, its documented
# override; nothing here writes into the app's settings or keychain.
set -euo pipefail
fake_bin=$1
shift
[ "${1:-}" = -- ] && shift
demo_dir="$(mktemp -d)"
log="$demo_dir/fake-microsoft.log"
"$fake_bin" --port 0 >"$log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$demo_dir"' EXIT
# The fake prints its summary, then where it listens, once it does: wait for that line from *this* process.
url=""
for _ in $(seq 100); do
  url="$(sed -n 's/^Fake Microsoft listening on //p' "$log" | head -n1)"
  [ -n "$url" ] && break
  kill -0 "$fake" 2>/dev/null || { cat "$log" >&2; echo "The fake Microsoft service did not start." >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "The fake Microsoft service did not say where it listens." >&2; exit 1; }
echo "==> Offline demo: the fake Microsoft service on $url"
echo
# Everything before the two lines about where it listens (those are for running the fake alone).
sed -n '/^Start the app against it:/q;p' "$log" | sed 's/^./    &/'
echo "==> Demo data in $demo_dir (removed when the app closes); the fake's log: $log"
CONNECTOR_CONSOLE_MICROSOFT_URL="$url" CONNECTOR_CONSOLE_DATA_DIR="$demo_dir/data" "$@"
