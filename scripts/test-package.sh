#!/usr/bin/env bash
# Installs the .deb the way a user does, starts it from its desktop entry's Exec line
# under Xvfb with a throw-away keyring, checks (WebDriver) that the window renders its
# first screen, then removes the package. Also inspects the .rpm's contents.
# Builds the packages first unless they exist (scripts/package.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
deb=$(ls -1 target/release/bundle/deb/*.deb 2>/dev/null | tail -n 1 || true)
rpm=$(ls -1 target/release/bundle/rpm/*.rpm 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ] || [ -z "$rpm" ]; then
  bash scripts/package.sh
  deb=$(ls -1 target/release/bundle/deb/*.deb | tail -n 1)
  rpm=$(ls -1 target/release/bundle/rpm/*.rpm | tail -n 1)
fi

say "Inspecting $rpm"
command -v rpm2cpio >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends rpm2cpio cpio >/dev/null
# Debian's rpm2cpio exits 1 on this payload although it writes it whole; the checks below
# are what tell a good package from a bad one.
listing=$( { rpm2cpio "$rpm" || true; } | cpio -t --quiet)
for want in usr/bin/connector-console usr/bin/connector-console-cli "usr/share/applications/Connector Console.desktop" usr/share/icons/hicolor/128x128/apps/connector-console.png; do
  grep -qxF "./$want" <<<"$listing" || { echo "the .rpm lacks $want:"; printf '%s\n' "$listing"; exit 1; }
done

if dpkg-query -W -f='${Status}' connector-console 2>/dev/null | grep -q "install ok installed"; then
  echo "connector-console is already installed on this machine: the install test would replace and then remove it, so it is skipped here."
  exit 0
fi
say "Installing $deb"
$SUDO dpkg -i "$deb" || DEBIAN_FRONTEND=noninteractive $SUDO apt-get -f install -y -qq
trap 'say "Removing the package"; $SUDO dpkg -r connector-console >/dev/null' EXIT
desktop=$(dpkg -L connector-console | grep '\.desktop$' | head -n 1)
[ -n "$desktop" ] || { echo "the package installs no desktop entry"; exit 1; }
say "Desktop entry $desktop"
cat "$desktop"
for key in Name GenericName Comment Exec Icon Categories StartupWMClass; do
  grep -q "^$key=" "$desktop" || { echo "the desktop entry has no $key"; exit 1; }
done
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1)
binary=$(command -v "${exec_line%% *}")
[ -x "$binary" ] || { echo "Exec=$exec_line names no installed program"; exit 1; }
# Install links (connector-console://install?…) open in the app: the entry handles the scheme
# and passes the link as the one argument.
grep -qx 'MimeType=x-scheme-handler/connector-console;' "$desktop" || { echo "the desktop entry does not declare connector-console:// links"; exit 1; }
[ "${exec_line#* }" = "%u" ] || { echo "Exec=$exec_line does not pass the link (%u)"; exit 1; }
for size in 32x32 128x128 256x256@2 512x512; do
  ls /usr/share/icons/hicolor/$size*/apps/connector-console.png >/dev/null 2>&1 || echo "note: no $size icon installed"
done

say "Running the installed command line"
cli_data=$(mktemp -d)
CONNECTOR_CONSOLE_DATA_DIR="$cli_data" /usr/bin/connector-console-cli --version
CONNECTOR_CONSOLE_DATA_DIR="$cli_data" /usr/bin/connector-console-cli list | grep -q "No installations" \
  || { echo "the installed connector-console-cli did not list an empty data folder"; exit 1; }
rm -rf "$cli_data"

say "Starting $binary from the desktop entry under Xvfb (WebDriver)"
CONNECTOR_CONSOLE_E2E_APP="$binary" bash scripts/with-test-env.sh \
  cargo test --test e2e -- --ignored --exact installed::the_installed_desktop_entry_opens_the_first_screen
say "Package test passed"
