#!/usr/bin/env bash
# check.sh for ctest: exits 77 (skipped) when no Node >= 20.6 is installed,
# else runs the whole corpus in the peer and compares with expected.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "no node/npm: skipping the peer check" >&2
  exit 77
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=6)?0:1)'; then
  echo "node $(node --version) < 20.6: skipping the peer check" >&2
  exit 77
fi
exec "$here/check.sh"
