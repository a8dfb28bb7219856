#!/usr/bin/env bash
# Builds what it runs (the unum CLI and the example's module) and runs one
# example app on the embedded default (in-memory store, in-process
# platform), printing the workflow's result.
#   scripts/run-example.sh [APP] [INPUT]    (default: wordcount)
set -euo pipefail
cd "$(dirname "$0")/.."
APP="${1:-wordcount}"
INPUT="${2:-examples/$APP/events/event.json}"
BUILD_DIR="${UNUM_BUILD_DIR:-build}"
TEMPLATE="examples/$APP/unum-template.yaml"
if [[ ! -f "$TEMPLATE" ]]; then
  echo "run-example: no app examples/$APP (no $TEMPLATE)" >&2
  exit 2
fi
# The module target is named after the app's ApplicationName.
NAME="$(sed -n 's/^[[:space:]]*ApplicationName:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$TEMPLATE")"
bash scripts/setup.sh >&2
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
cmake --build "$BUILD_DIR" -j "$(nproc)" --target unum "unum_app_$NAME" >&2
exec "$BUILD_DIR/unum" run "examples/$APP" --input "$INPUT"
