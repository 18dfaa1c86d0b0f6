#!/usr/bin/env bash
# Builds the desktop packages (.deb and .rpm) with the Tauri CLI and prints their paths.
# The CLI is the prebuilt npm package @tauri-apps/cli, pinned in packaging/package.json.
# An AppImage is not built: its bundler downloads linuxdeploy from GitHub at build time,
# which this project's build machines can't reach.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
if [ ! -x packaging/node_modules/.bin/tauri ]; then
  echo "==> Installing the Tauri CLI (npm ci in packaging/)"
  npm ci --prefix packaging --no-audit --no-fund >/dev/null
fi
echo "==> Building the release binary and the packages (several minutes on 2 cores)"
packaging/node_modules/.bin/tauri build --ci --bundles deb,rpm
echo "==> Packages:"
ls -1 "$PWD"/target/release/bundle/deb/*.deb "$PWD"/target/release/bundle/rpm/*.rpm
