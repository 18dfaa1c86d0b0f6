#!/usr/bin/env bash
# Checks the bundle configuration for every OS, including the Windows (NSIS) and macOS
# (.app, .dmg) bundles this machine can't build: tauri.conf.json against the JSON schema
# of the pinned Tauri CLI (packaging/package.json), which rejects unknown or misspelt
# keys, then what the schema can't say: a per-user installer, the WebView2 bootstrapper,
# a minimum macOS, and every icon file present.
set -euo pipefail
cd "$(dirname "$0")/.."
schema=packaging/node_modules/@tauri-apps/cli/config.schema.json
if [ ! -f "$schema" ]; then
  npm ci --prefix packaging --no-audit --no-fund >/dev/null
fi
python3 - "$schema" <<'PY'
import json, os, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
conf = json.load(open("tauri.conf.json"))
problems = [f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(conf)]
bundle = conf.get("bundle", {})
win, mac = bundle.get("windows", {}), bundle.get("macOS", {})
for target in ("deb", "rpm", "nsis", "app", "dmg"):
    if target not in bundle.get("targets", []):
        problems.append(f"bundle/targets: {target} missing")
if win.get("nsis", {}).get("installMode") != "currentUser":
    problems.append("bundle/windows/nsis/installMode: not currentUser (a per-user install needs no administrator)")
if win.get("webviewInstallMode", {}).get("type") not in ("downloadBootstrapper", "embedBootstrapper"):
    problems.append("bundle/windows/webviewInstallMode: not a WebView2 bootstrapper")
if not mac.get("minimumSystemVersion"):
    problems.append("bundle/macOS/minimumSystemVersion: missing")
icons = bundle.get("icon", [])
for ext in (".ico", ".icns", ".png"):
    if not any(i.endswith(ext) for i in icons):
        problems.append(f"bundle/icon: no {ext} icon")
for path in icons + [win.get("nsis", {}).get("installerIcon", "")]:
    if path and not os.path.isfile(path):
        problems.append(f"bundle: icon file {path} missing")
if problems:
    print("tauri.conf.json's bundle configuration has problems:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"    tauri.conf.json: valid against the Tauri CLI's schema ({schema['$id']}); NSIS per-user, WebView2 bootstrapper, macOS {mac['minimumSystemVersion']}+, {len(icons)} icons")
PY
