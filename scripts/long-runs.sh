#!/usr/bin/env bash
# The long runs, not part of the tests (about 10 minutes on 2 cores): every property test at
# 1,000,000 generated cases (scope text, token responses, callback URLs, settings files,
# policy files with every field, the one-window request line, Git credential input), built with the long-run profile (optimised, with overflow checks and
# debug assertions kept), then the settings crash test with 1,000 kills of the writer.
# PROPTEST_CASES and CRASH_ROUNDS override the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
PROPTEST_CASES=${PROPTEST_CASES:-1000000} \
  cargo test --profile long-run -p connector-core --test no_panics --test scope_properties -- --test-threads=2
# The parsers whose properties sit beside their private code, in the libraries' unit tests.
PROPTEST_CASES=${PROPTEST_CASES:-1000000} \
  cargo test --profile long-run -p connector-core --lib store::instance -- --test-threads=2
PROPTEST_CASES=${PROPTEST_CASES:-1000000} \
  cargo test --profile long-run -p connector-cli --lib git_credential -- --test-threads=2
CRASH_ROUNDS=${CRASH_ROUNDS:-1000} cargo test -p connector-core --test settings_crash
