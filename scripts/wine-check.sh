#!/usr/bin/env bash
# The Windows build, run for real under Wine (issue #24's stretch; not part of test.sh:
# it installs Wine and MinGW, and builds the Windows standard library, about 6 minutes).
# With Debian's rustc-web (-Zbuild-std) and MinGW it builds, for x86_64-pc-windows-gnu,
# the Windows keychain test (src-tauri/core/tests/windows_store.rs) and the command line
# (connector-console-cli.exe), and runs them against Wine's Credential Manager: a value
# split into parts and read back whole; then list, token and git-credential get on an
# installation whose tokens a sign-in would have stored.
#
# Wine 8.0 (Debian 12) lacks bcryptprimitives.dll's ProcessPrng, which Rust's standard
# library imports since 1.78: a three-line stand-in (RtlGenRandom) is built beside the
# programs. Nothing else is stubbed.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for p in wine64 gcc-mingw-w64-x86-64 rustc-web cargo-web rust-web-src; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
export CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$PWD/target/wine"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
build=(-Zbuild-std=std,panic_abort --target x86_64-pc-windows-gnu)
echo "==> Building the Windows keychain test and connector-console-cli.exe"
test_exe=$(/usr/bin/cargo test "${build[@]}" -p connector-core --test windows_store --no-run --message-format json 2>/dev/null \
  | grep -o '"executable":"[^"]*windows_store[^"]*"' | tail -n 1 | sed 's/"executable":"\(.*\)"/\1/')
/usr/bin/cargo build "${build[@]}" -p connector-console --bin connector-console-cli
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
cp "$test_exe" "$run/windows_store.exe"
cp "$CARGO_TARGET_DIR/x86_64-pc-windows-gnu/debug/connector-console-cli.exe" "$run/"
cat > "$run/prng.c" <<'C'
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return RtlGenRandom(data, (ULONG)len); }
C
x86_64-w64-mingw32-gcc -shared -O2 -o "$run/bcryptprimitives.dll" "$run/prng.c" -ladvapi32
export WINEPREFIX="$run/prefix" WINEDEBUG=-all
wine=/usr/lib/wine/wine64
"$wine" wineboot --init >/dev/null 2>&1 || true

echo "==> The keychain module against Wine's Credential Manager"
"$wine" "$run/windows_store.exe" --test-threads=1

echo "==> connector-console-cli.exe: --version and list on an empty data folder"
export CONNECTOR_CONSOLE_DATA_DIR="$run/empty"
"$wine" "$run/connector-console-cli.exe" --version
"$wine" "$run/connector-console-cli.exe" list | tee "$run/out"
grep -q "No installations" "$run/out"

echo "==> token and git-credential get, with the tokens in the Credential Manager"
export CONNECTOR_CONSOLE_DATA_DIR="$run/data"
mkdir -p "$CONNECTOR_CONSOLE_DATA_DIR"
# The fixture's installations, their access tokens valid for another hour.
python3 - "$CONNECTOR_CONSOLE_DATA_DIR/settings.json" <<'PY'
import json, sys, time
s = json.load(open("src-tauri/core/tests/fixtures/settings-v1.json"))
for i in s["installations"]:
    i["access_expires_at"] = int(time.time()) + 3600
json.dump(s, open(sys.argv[1], "w"))
PY
access="wine-check-$(head -c 1500 /dev/urandom | base64 -w0 | tr -d '+/=')"
WINE_CHECK_ACCOUNT="installation/k3x9q2m7p4ta/tokens" WINE_CHECK_VALUE="{\"a\":\"$access\",\"r\":\"refresh\"}" \
  "$wine" "$run/windows_store.exe" --ignored --exact seed_for_the_command_line --test-threads=1 >/dev/null
printed=$("$wine" "$run/connector-console-cli.exe" token --installation k3x9q2m7p4ta | tr -d '\r')
[ "$printed" = "$access" ] || { echo "token printed ${#printed} characters, not the ${#access} stored"; exit 1; }
echo "    token: the ${#access}-character access token, read back from its parts"
answer=$(printf 'protocol=https\nhost=dev.azure.com\npath=contoso/Website/_git/Website\n\n' \
  | "$wine" "$run/connector-console-cli.exe" git-credential get | tr -d '\r')
printf '%s\n' "$answer" | grep -qx "password=$access" || { echo "git-credential get did not answer the token:"; printf '%s\n' "$answer" | sed 's/password=.*/password=…/'; exit 1; }
echo "    git-credential get: answered with it"
set +e
"$wine" "$run/connector-console-cli.exe" token --installation z8w1v5n0c6rb >/dev/null 2>"$run/err"
code=$?
set -e
[ "$code" -eq 3 ] || { echo "token without tokens exited $code, not 3"; cat "$run/err"; exit 1; }
echo "    token without tokens in the Credential Manager: exit 3, $(tr -d '\r' < "$run/err" | head -n 1)"
echo "==> Windows build under Wine: all passed"
