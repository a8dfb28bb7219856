#!/usr/bin/env bash
# Installs the ASL peer (aws-local-stepfunctions, pinned in package-lock.json)
# into tests/asl/peer/node_modules. Idempotent: runs `npm ci` only when
# node_modules is missing or older than package.json / package-lock.json.
# Needs node >= 20.6 (module.register) and npm on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install.sh: node and npm are required (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
minor="$(node -p 'process.versions.node.split(".")[1]')"
if (( major < 20 || (major == 20 && minor < 6) )); then
  echo "install.sh: node $(node --version) is too old; need >= 20.6" >&2
  exit 1
fi

stamp=node_modules/.unum-peer-installed
if [[ -f "$stamp" && "$stamp" -nt package.json && "$stamp" -nt package-lock.json \
      && -f node_modules/aws-local-stepfunctions/package.json ]]; then
  exit 0
fi
# The package declares engines.node >= 22; on Node 20 the runner polyfills the
# one missing API, so the engine check is only a warning here (see .npmrc).
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
