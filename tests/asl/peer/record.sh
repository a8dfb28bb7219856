#!/usr/bin/env bash
# Regenerates tests/asl/corpus/*/expected.json by running every case in the
# peer, then runs the same cases a second time and checks that they reproduce
# the recorded results (only deterministic cases belong in the corpus).
# Usage: record.sh [CASE_DIR...]   (default: every case)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install.sh"
if (( $# == 0 )); then
  set -- "$here"/../corpus/*/
fi
node "$here/run_peer.mjs" --record "$@" >/dev/null
set +e
node "$here/run_peer.mjs" --check "$@" | grep -v '^{'
status="${PIPESTATUS[0]}"
set -e
if (( status != 0 )); then
  echo "record.sh: second run differs from the recorded results (or a case could not run)" >&2
fi
exit "$status"
