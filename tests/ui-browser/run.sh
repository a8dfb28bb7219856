#!/usr/bin/env bash
# The ctest of `unum ui` in a real browser (ui_browser_test.mjs), with node
# found when the test runs, not when the build was configured. Without
# node: a failure under CI=true, else skipped (exit 77).
set -euo pipefail
source "$(dirname "$0")/../lib/missing_dependency.sh"
if ! command -v node >/dev/null; then
  missing_dependency "no node: the browser test cannot run (scripts/test.sh installs it)"
fi
exec node "$(dirname "$0")/ui_browser_test.mjs" "$@"
