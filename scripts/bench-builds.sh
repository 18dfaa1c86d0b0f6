# Sourced by the window benchmarks (bench-reference.sh, bench-first-paint.sh) after they cd to
# the repository: outside the test environment, builds what they run and starts the calling
# script again inside it (scripts/with-test-env.sh: Xvfb, D-Bus, a fresh keyring).
if [ "${CONNECTOR_CONSOLE_IN_TEST_ENV:-}" != 1 ]; then
  bash scripts/setup.sh >/dev/null
  # The production build, as the Tauri CLI makes it for the packages (tauri/custom-protocol;
  # without it Tauri builds with cfg(dev)): the app is then the binary scripts/package.sh
  # already built (cargo finds it fresh), and the reference app is built the same way.
  cargo build --release -p connector-console -p reference-app -p paint-probe --features tauri/custom-protocol
  exec bash scripts/with-test-env.sh bash "$0" "$@"
fi
