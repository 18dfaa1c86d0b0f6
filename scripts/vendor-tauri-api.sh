#!/usr/bin/env bash
# Copies the parts of Tauri's official JavaScript API the UI imports (core and event)
# into ui/vendor/tauri-api/, at the version matching the tauri crate in Cargo.lock.
# The UI has no bundler, and the app no longer injects window.__TAURI__
# (withGlobalTauri is off), so these ES modules are served with the page.
# Run after upgrading the tauri crate; tests/architecture.rs checks the versions match.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(awk '/^name = "tauri"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@tauri-apps/api@$version" >/dev/null && tar xzf ./*.tgz)
out=ui/vendor/tauri-api
rm -rf "$out"
mkdir -p "$out/external/tslib"
cp "$work/package/core.js" "$work/package/event.js" "$work/package/LICENSE-MIT" "$work/package/LICENSE-APACHE-2.0" "$out/"
cp "$work/package/external/tslib/tslib.es6.js" "$out/external/tslib/"
echo "$version" >"$out/VERSION"
echo "ui/vendor/tauri-api: @tauri-apps/api $version"
