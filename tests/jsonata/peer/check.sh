#!/usr/bin/env bash
# The reference side of the JSONata differential suite: re-runs every
# corpus expression in the jsonata package and checks that it still gives
# the recorded results (tests/jsonata/corpus/*.expected.json). For ctest:
# exits 77 (skipped, loudly) without node/npm, except under CI=true, where
# a missing node fails the run naming it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../lib/missing_dependency.sh"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing_dependency "jsonata peer check: no node/npm on PATH (Debian: nodejs npm)"
fi
"$here/install.sh"
# The whole run is bounded too (ctest also times it out at 300 s).
exec timeout --kill-after=10 280 node "$here/run_peer.mjs" --check "$@"
