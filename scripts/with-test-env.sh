#!/usr/bin/env bash
# Runs a command the way the tests need it: a virtual display (Xvfb), a private
# D-Bus session, and a fresh, unlocked gnome-keyring holding nothing of yours.
set -euo pipefail
if [ "${CONNECTOR_CONSOLE_IN_TEST_ENV:-}" = 1 ]; then exec "$@"; fi
export CONNECTOR_CONSOLE_IN_TEST_ENV=1
# A fresh keyring directory per run: a stale one with another password would prompt.
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
inner='eval "$(printf %s "${KEYRING_PASSWORD:-ci-password}" | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL
exec "$@"'
xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash -c "$inner" with-test-env "$@"
