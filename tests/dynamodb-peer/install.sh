#!/usr/bin/env bash
# Installs dynalite (a local DynamoDB API server on LevelDB) for the
# dynamodb:// datastore tests, pinned by package-lock.json. Idempotent: does
# nothing when node_modules already holds it. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -x node_modules/.bin/dynalite ]]; then
  exit 0
fi
npm ci --no-audit --no-fund
