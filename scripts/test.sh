#!/usr/bin/env bash
# Builds Unum and runs the test suite.
#
#   bash scripts/test.sh                     # every test (unit, contract,
#                                            # end-to-end), build/
#   bash scripts/test.sh --sanitize thread   # ThreadSanitizer: the
#                                            # concurrency-heavy tests (ctest
#                                            # label tsan), build-tsan/
#   bash scripts/test.sh --sanitize address  # AddressSanitizer + UBSan: the
#                                            # fuzz corpora and the tests
#                                            # labelled asan, build-asan/
#
# The test peers are installed first, so every test is registered and
# runs: under CI=true a test whose dependency is missing fails naming it;
# elsewhere it is reported as skipped (ctest's skip code), never passed.
set -euo pipefail
cd "$(dirname "$0")/.."
SANITIZE=""
while (($# > 0)); do
  case "$1" in
    --sanitize) SANITIZE="${2:-}"; shift 2 || { echo "test.sh: --sanitize needs thread or address" >&2; exit 2; } ;;
    --sanitize=*) SANITIZE="${1#*=}"; shift ;;
    *) echo "usage: scripts/test.sh [--sanitize thread|address]" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# Test peers from npm (Node from Debian when the machine has none):
# dynalite (a local DynamoDB API), the Step Functions peer
# (aws-local-stepfunctions) and playwright-core for the `unum ui` browser
# test, which drives the system Chromium that setup.sh installs.
install_peers() {
  if ! command -v npm >/dev/null; then
    EXTRA_PACKAGES="nodejs npm" bash scripts/setup.sh
  fi
  bash tests/dynamodb-peer/install.sh
  # The JSONata reference (the jsonata package) for the JSONata
  # differential suite's peer check.
  bash tests/jsonata/peer/install.sh
  bash tests/asl/peer/install.sh
  bash tests/ui-browser/install.sh
}

install_peers
if [[ -z "$SANITIZE" ]]; then
  bash scripts/build.sh
  BUILD_DIR="${UNUM_BUILD_DIR:-build}"
  exec ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" \
    --timeout 600
fi

case "$SANITIZE" in
  thread) LABEL=tsan ;;
  address) LABEL=asan ;;
  *) echo "test.sh: --sanitize takes thread or address, not '$SANITIZE'" >&2
     exit 2 ;;
esac
BUILD_DIR="${UNUM_BUILD_DIR:-build-$LABEL}"
# -O1 with line tables, assertions on: what sanitizer builds are for.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -DUNUM_DEBUG_INFO=lines \
  -DUNUM_SANITIZE="$SANITIZE" -DUNUM_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target "unum_${LABEL}_tests"
here="$(pwd)"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 history_size=4 suppressions=$here/tests/sanitizers/tsan.supp"
export ASAN_OPTIONS="detect_leaks=1 strict_string_checks=1 check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"
echo "[test.sh] $SANITIZE sanitizer ($BUILD_DIR): the tests labelled $LABEL:"
ctest --test-dir "$BUILD_DIR" -N -L "^$LABEL\$" |
  sed -n 's/^ *Test *#[0-9]*: /  /p'
ctest --test-dir "$BUILD_DIR" -L "^$LABEL\$" --output-on-failure \
  -j "$(nproc)" --timeout 600
