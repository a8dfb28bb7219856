#!/usr/bin/env bash
# Builds Unum and runs one example app on the embedded default (in-memory
# store, in-process platform), printing the workflow's result.
#   scripts/run-example.sh [APP] [INPUT]    (default: wordcount)
set -euo pipefail
cd "$(dirname "$0")/.."
APP="${1:-wordcount}"
INPUT="${2:-examples/$APP/events/event.json}"
bash scripts/build.sh >&2
exec "${UNUM_BUILD_DIR:-build}/unum" run "examples/$APP" --input "$INPUT"
