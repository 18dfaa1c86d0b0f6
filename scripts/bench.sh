#!/usr/bin/env bash
# Sets up what is missing, then prints every benchmark's figures:
# the scope engine, sign-in overhead and scale (core), and the desktop app's
# start-up, memory and 1,000-installation view (real window under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo bench -p connector-core --bench scopes --bench lifecycle
bash scripts/with-test-env.sh cargo bench -p connector-console --bench app
bash scripts/bench-reference.sh
