#!/usr/bin/env bash
# Configures and builds Unum into build/ (or $UNUM_BUILD_DIR).
# Debug information: line tables (-g1), enough for file:line in backtraces
# and sanitizer reports, in about 60 % of the compile time of full -g
# (docs/performance.md); UNUM_DEBUG_INFO=full for variables in gdb.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${UNUM_BUILD_DIR:-build}"
bash scripts/setup.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DUNUM_DEBUG_INFO="${UNUM_DEBUG_INFO:-lines}" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
