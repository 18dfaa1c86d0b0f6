#!/usr/bin/env bash
# Type-checks every crate that ships (libraries and binaries, not the Linux-only
# real-window tests) for Windows and macOS, with Debian's second
# Rust toolchain (rustc-web, its standard library source, clang/llvm for macOS's
# one Objective-C file), in its own target folder. Any compiler warning on any
# platform fails the run. Build-script notes about the C compiler (there is no
# MSVC or Apple SDK here, and nothing is linked) are shown but not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/cargo >/dev/null && [ -x /usr/bin/rustc ] || { echo "rustc-web missing: run scripts/setup.sh" >&2; exit 1; }
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$PWD/target/platform"
export CC_aarch64_apple_darwin=clang AR_aarch64_apple_darwin=llvm-ar
export CC_x86_64_apple_darwin=clang AR_x86_64_apple_darwin=llvm-ar
failed=0
for target in x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin; do
  echo "==> cargo check --target $target"
  log="$CARGO_TARGET_DIR/check-$target.log"
  mkdir -p "$CARGO_TARGET_DIR"
  if ! /usr/bin/cargo check -Zbuild-std=std,panic_abort --target "$target" --workspace \
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
