#!/usr/bin/env bash
# Runs every corpus case (or the given case dirs) in the peer and compares the
# results with the recorded expected.json files; prints any mismatch and
# "N passed, M failed". Exit code 0 only if every case matches.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install.sh"
if (( $# == 0 )); then
  set -- "$here"/../corpus/*/
fi
set +e
node "$here/run_peer.mjs" --check "$@" | grep -v '^{'
status="${PIPESTATUS[0]}"
exit "$status"
