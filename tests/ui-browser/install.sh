#!/usr/bin/env bash
# Installs playwright-core (pinned by package-lock.json) for the `unum ui`
# browser test. It drives the system Chromium (Debian packages chromium and
# chromium-driver); no browser is downloaded. Idempotent: does nothing when
# node_modules already holds it. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -f node_modules/playwright-core/package.json ]]; then
  exit 0
fi
npm ci --no-audit --no-fund
