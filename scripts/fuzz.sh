#!/usr/bin/env bash
# Runs the libFuzzer targets (clang, ASan + UBSan) and keeps what they find
# interesting in the repository's corpus, which the default test run
# replays (ctest -L fuzz). Not part of the tests: a fuzzing session.
#
#   bash scripts/fuzz.sh                     # every target, 600 s each, in turn
#   bash scripts/fuzz.sh expr payload        # some targets
#   SECONDS_PER_TARGET=60 bash scripts/fuzz.sh
#   PARALLEL=1 bash scripts/fuzz.sh          # all targets at once
#
# Installs clang and its runtime (Debian: clang, libclang-rt-14-dev) when
# missing and builds in build-fuzz/. A crash, leak, UB report or timeout
# stops the target; the input is saved under build-fuzz/artifacts/<target>/
# and the script exits 1. New corpus inputs are merged (minimised) into
# fuzz/corpus/<target>/; commit them.
set -euo pipefail
cd "$(dirname "$0")/.."
ALL_TARGETS=(ir_parser expr payload asl jsonata checkpoint_record session_record
             trace_event url app_template lambda_event redis_entry)
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then TARGETS=("${ALL_TARGETS[@]}"); fi
SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-600}"
BUILD_DIR="${UNUM_FUZZ_BUILD_DIR:-build-fuzz}"

EXTRA_PACKAGES="clang libclang-rt-14-dev" bash scripts/setup.sh

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DUNUM_FUZZ=ON \
  -DUNUM_BUILD_TESTS=OFF -DUNUM_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$BUILD_DIR" --target "${TARGETS[@]/%/_fuzzer}"

run_target() {
  local t="$1"
  local work="$BUILD_DIR/work/$t" artifacts="$BUILD_DIR/artifacts/$t"
  mkdir -p "$work" "$artifacts" "fuzz/corpus/$t"
  local status=0
  "$BUILD_DIR/fuzz/${t}_fuzzer" "$work" "fuzz/corpus/$t" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -detect_leaks=1 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$BUILD_DIR/$t.log" 2>&1 || status=$?
  # Keep a minimal set of inputs that covers what the run reached.
  local merged="$BUILD_DIR/merged/$t"
  rm -rf "$merged" && mkdir -p "$merged"
  if "$BUILD_DIR/fuzz/${t}_fuzzer" -merge=1 "$merged" "fuzz/corpus/$t" \
       "$work" >>"$BUILD_DIR/$t.log" 2>&1 &&
     [[ -n "$(ls -A "$merged")" ]]; then
    rm -rf "fuzz/corpus/$t" && cp -r "$merged" "fuzz/corpus/$t"
  fi
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' \
           "$BUILD_DIR/$t.log" | grep -o '[0-9]*$' | tail -1)
  echo "$t: ${runs:-?} executions in ${SECONDS_PER_TARGET} s," \
       "corpus $(ls "fuzz/corpus/$t" | wc -l) inputs, exit $status" \
       "(log $BUILD_DIR/$t.log)"
  return "$status"
}

failed=0
if [[ "${PARALLEL:-0}" == 1 ]]; then
  pids=()
  for t in "${TARGETS[@]}"; do run_target "$t" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
else
  for t in "${TARGETS[@]}"; do run_target "$t" || failed=1; done
fi
if ((failed)); then
  echo "fuzz: a target failed; inputs are in $BUILD_DIR/artifacts/" >&2
  exit 1
fi
echo "fuzz: no crash, leak, UB report or timeout"
