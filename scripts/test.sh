#!/usr/bin/env bash
# Builds Unum and runs the whole test suite (unit, contract, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# Test peers from npm: dynalite (a local DynamoDB API) for the dynamodb://
# tests, which start it themselves on loopback. Node comes from Debian when
# the machine has none.
if ! command -v npm >/dev/null; then
  EXTRA_PACKAGES="nodejs npm" bash scripts/setup.sh
fi
bash tests/dynamodb-peer/install.sh
# The JSONata reference (the jsonata package) for the JSONata differential
# suite's peer check.
bash tests/jsonata/peer/install.sh
# The Step Functions peer (aws-local-stepfunctions) for the differential
# corpus; it needs Node >= 20.6 (the ctest is skipped without it).
if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=6)?0:1)' 2>/dev/null; then
  bash tests/asl/peer/install.sh
fi
# The `unum ui` browser test drives the system Chromium (setup.sh installs
# it) with playwright-core from npm.
bash tests/ui-browser/install.sh
BUILD_DIR="${UNUM_BUILD_DIR:-build}"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" --timeout 600
