#!/usr/bin/env bash
# Type-checks and lints (clippy, warnings as errors) every crate that ships
# (libraries and binaries, not the Linux-only real-window tests) for Windows and
# macOS, with Debian's second Rust toolchain (rustc-web, its standard library
# source, its clippy, clang/llvm for macOS's one Objective-C file), in its own
# target folder. Any compiler or clippy warning on any platform fails the run. Build-script notes about the C compiler (there is no
# MSVC or Apple SDK here, and nothing is linked) are shown but not counted.
# The three targets go through one cargo run: its job queue keeps both cores busy across
# them (three runs one after another left one core idle while each target's largest crates
# compiled alone), and a warning still names its file.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo-clippy ] || { echo "rustc-web or its clippy missing: run scripts/setup.sh" >&2; exit 1; }
# cargo-clippy runs $CARGO with its own clippy-driver: both must be Debian's, not rustup's.
export CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$PWD/target/platform"
export CC_aarch64_apple_darwin=clang AR_aarch64_apple_darwin=llvm-ar
export CC_x86_64_apple_darwin=clang AR_x86_64_apple_darwin=llvm-ar
targets=(x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin)
echo "==> cargo clippy --target ${targets[*]}"
log="$CARGO_TARGET_DIR/check-platforms.log"
mkdir -p "$CARGO_TARGET_DIR"
target_args=()
for t in "${targets[@]}"; do target_args+=(--target "$t"); done
if ! /usr/bin/cargo-clippy clippy -Zbuild-std=std,panic_abort "${target_args[@]}" --workspace \
    --exclude fake-microsoft --exclude paint-probe --exclude reference-app --message-format short >"$log" 2>&1; then
  cat "$log" >&2
  echo "FAILED: ${targets[*]} do not all type-check (above)" >&2
  exit 1
fi
# Compiler warnings ("path:line:col: warning: …"), not build-script notes ("warning: pkg@ver: …").
warnings="$(grep -E '^[^ ]+:[0-9]+:[0-9]+: warning' "$log" || true)"
if [ -n "$warnings" ]; then
  echo "$warnings" >&2
  echo "FAILED: warnings on ${targets[*]}" >&2
  exit 1
fi
echo "    ${targets[*]}: 0 warnings"
