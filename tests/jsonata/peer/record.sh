#!/usr/bin/env bash
# Records the reference results of the JSONata corpus (every
# tests/jsonata/corpus/*.jsonata, or the given files) into
# *.expected.json, then checks that a second run reproduces them (only
# deterministic expressions belong in the corpus).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install.sh"
node "$here/run_peer.mjs" --record "$@" >/dev/null
node "$here/run_peer.mjs" --check "$@"
