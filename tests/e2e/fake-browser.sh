#!/usr/bin/env bash
# Plays the user's web browser in the Entra E2E test. The app opens URLs with
# the OS opener; on Linux that is xdg-open, which hands them to $BROWSER.
# This script follows the authorize URL on the fake Microsoft, presses Accept
# as the preselected account, and follows the redirect to the app's loopback.
set -euo pipefail
url="$1"
log="${FAKE_BROWSER_LOG:-/dev/null}"
echo "open $url" >> "$log"
page="$(curl -sS --max-time 10 "$url")"
user="$(printf '%s' "$page" | grep -o 'option value="[^"]*" selected' | head -n 1 | sed 's/^option value="\([^"]*\)".*/\1/')"
# The consent form posts back every authorize parameter, plus the choice.
location="$(curl -sS --max-time 10 -o /dev/null -w '%{redirect_url}' --data "${url#*\?}&user=${user}&decision=accept" "${url%%\?*}")"
echo "redirect $location" >> "$log"
curl -sS --max-time 10 "$location" >> "$log"
