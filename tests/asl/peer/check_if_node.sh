#!/usr/bin/env bash
# The ctest of the peer (check.sh): runs the whole corpus in
# aws-local-stepfunctions and compares with expected.json. The peer needs
# Node with module.register (18.19 or later; Debian 12's nodejs is 18.20),
# which scripts/test.sh installs. Without node or npm the test fails under
# CI=true, naming what is missing, and is skipped (exit 77) elsewhere; a
# Node too old always fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../lib/missing_dependency.sh"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing_dependency "node and npm are missing: the peer check cannot run (scripts/test.sh installs them)"
fi
if ! node -e 'process.exit(typeof require("node:module").register === "function" ? 0 : 1)'; then
  echo "FAIL: node $(node --version) has no module.register; the peer needs" \
       "Node 18.19 or later (apt-get install nodejs on Debian 12)" >&2
  exit 1
fi
exec "$here/check.sh"
