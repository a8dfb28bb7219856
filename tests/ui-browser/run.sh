#!/usr/bin/env bash
# The ctest of `unum ui` in a real browser (ui_browser_test.mjs), with node
# found when the test runs, not when the build was configured. Without
# node: a failure under CI=true, else skipped (exit 77).
set -euo pipefail
if ! command -v node >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: no node (scripts/test.sh installs it)" >&2
    exit 1
  fi
  echo "SKIP: no node: the browser test cannot run (scripts/test.sh installs it)" >&2
  exit 77
fi
exec node "$(dirname "$0")/ui_browser_test.mjs" "$@"
