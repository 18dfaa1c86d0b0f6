#!/usr/bin/env bash
# Type-checks and lints (clippy, warnings as errors) every crate that ships
# (libraries and binaries, not the Linux-only real-window tests) for Windows and
# macOS, with Debian's second Rust toolchain (rustc-web, its standard library
# source, its clippy, clang/llvm for macOS's one Objective-C file), in its own
# target folder. Any compiler or clippy warning on any platform fails the run. Build-script notes about the C compiler (there is no
# MSVC or Apple SDK here, and nothing is linked) are shown but not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo-clippy ] || { echo "rustc-web or its clippy missing: run scripts/setup.sh" >&2; exit 1; }
# cargo-clippy runs $CARGO with its own clippy-driver: both must be Debian's, not rustup's.
export CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$PWD/target/platform"
export CC_aarch64_apple_darwin=clang AR_aarch64_apple_darwin=llvm-ar
export CC_x86_64_apple_darwin=clang AR_x86_64_apple_darwin=llvm-ar
failed=0
for target in x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin; do
  echo "==> cargo clippy --target $target"
  log="$CARGO_TARGET_DIR/check-$target.log"
  mkdir -p "$CARGO_TARGET_DIR"
  if ! /usr/bin/cargo-clippy clippy -Zbuild-std=std,panic_abort --target "$target" --workspace \
      --exclude fake-microsoft --exclude paint-probe --exclude reference-app --message-format short >"$log" 2>&1; then
    cat "$log" >&2
    echo "FAILED: $target does not type-check" >&2
    failed=1
    continue
  fi
  # Compiler warnings ("path:line:col: warning: …"), not build-script notes ("warning: pkg@ver: …").
  warnings="$(grep -E '^[^ ]+:[0-9]+:[0-9]+: warning' "$log" || true)"
  if [ -n "$warnings" ]; then
    echo "$warnings" >&2
    echo "FAILED: $target has warnings" >&2
    failed=1
  else
    echo "    $target: 0 warnings"
  fi
done
exit "$failed"
