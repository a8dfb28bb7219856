#!/usr/bin/env bash
# Installs the ASL peer (aws-local-stepfunctions, pinned in package-lock.json)
# into tests/asl/peer/node_modules. Idempotent: runs `npm ci` only when
# node_modules is missing or older than package.json / package-lock.json.
# Needs node with module.register (18.19 or later) and npm on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install.sh: node and npm are required (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if ! node -e 'process.exit(typeof require("node:module").register === "function" ? 0 : 1)'; then
  echo "install.sh: node $(node --version) is too old: the peer needs" \
       "module.register (Node 18.19 or later)" >&2
  exit 1
fi

stamp=node_modules/.unum-peer-installed
if [[ -f "$stamp" && "$stamp" -nt package.json && "$stamp" -nt package-lock.json \
      && -f node_modules/aws-local-stepfunctions/package.json ]]; then
  exit 0
fi
# The package declares engines.node >= 22; on Node 18 and 20 the runner
# polyfills the one missing API, so the engine check is only a warning here
# (see .npmrc).
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
