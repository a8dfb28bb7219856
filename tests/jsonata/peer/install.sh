#!/usr/bin/env bash
# Installs the JSONata peer (the jsonata package, pinned in
# package-lock.json) into tests/jsonata/peer/node_modules. Idempotent: runs
# `npm ci` only when node_modules is missing or older than package.json /
# package-lock.json. Needs node and npm on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install.sh: node and npm are required (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
stamp=node_modules/.unum-peer-installed
if [[ -f "$stamp" && "$stamp" -nt package.json && "$stamp" -nt package-lock.json \
      && -f node_modules/jsonata/package.json ]]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
