#!/usr/bin/env bash
# Sets up what is missing, then prints every benchmark's figures:
# the scope engine, sign-in overhead and scale (core), and the desktop app's
# start-up, memory and 1,000-installation view (real window under Xvfb), and the
# command line (token, the Git helper, list) beside the keychain's own lookup time,
# and every user action over a 150 ms network: requests and serial depth beside the protocol's floor.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo bench -p connector-core --bench scopes --bench lifecycle
bash scripts/with-test-env.sh cargo bench -p connector-console --bench app
# The command line beside secret-tool lookup (real keychain, the fake Microsoft).
bash scripts/with-test-env.sh cargo bench -p connector-console --bench cli
# Each user action against the fake answering every request after 150 ms (NETWORK_LATENCY_MS).
bash scripts/with-test-env.sh cargo bench -p connector-console --bench network
bash scripts/bench-reference.sh
