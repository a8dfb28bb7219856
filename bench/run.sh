#!/usr/bin/env bash
# The benchmark suite in one command (not part of the tests):
#
#   bash bench/run.sh            # full: about 2 min on 2 busy cores, once built
#   QUICK=1 bash bench/run.sh    # smaller cases, fewer runs: about 1 min
#
# Builds what it needs in its own build dir (BENCH_BUILD_DIR, default
# build-bench, Release), then runs
#   - micro benchmarks (unum-bench-micro, Google Benchmark),
#   - macro benchmarks (unum-bench-macro: chains, maps with fan-in, a
#     parallel pipeline and every example app, on memory://, sqlite:// and,
#     when a redis-server is reachable (REDIS_URL, else one started here on
#     a free loopback port if redis-server is installed), redis://),
#   - a map-width sweep (2..512) with and without the cloud-latency model,
#   - the side by side: the same state machines in aws-local-stepfunctions
#     (bench/sfn-local/run.mjs, no-op tasks) and in Unum (no-op tasks,
#     checkpoints on, memory store, embedded platform; traced and not, a
#     worker per core and one),
# and writes bench/results/<UTC time>.json, regenerates docs/benchmarks.md
# (bench/report.py) and the plot docs/images/bench-map-width.png (gnuplot;
# Debian gnuplot-nox, installed here with apt-get when missing and
# possible).
#
# Every run's result is checked (unum-bench-macro and run.mjs compare it
# with the expected one). A wrong result, or a run that fails, fails the
# benchmark: the script says which and exits 1 without touching docs/.
#
# Knobs: REPS (timed runs per case), REDIS_URL, JOBS (build parallelism),
# NO_SFN=1 (skip the side by side), NO_MICRO=1, NO_BUILD=1 (use the build
# in BENCH_BUILD_DIR as it is), SMOKE=1 (one tiny case per group, one run,
# nothing written to docs/ or bench/results/: what the harness test runs),
# BENCH_EXPECT='CASE=JSON ...' (the result a case must give instead of its
# own, e.g. a wrong one: unum-bench-macro --expect).
# The datastore and platform URLs of each group are set below: a URL this
# build does not understand yet is reported as "skipped" with its error.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK="${QUICK:-0}"
SMOKE="${SMOKE:-0}"
BUILD_DIR="${BENCH_BUILD_DIR:-build-bench}"
JOBS="${JOBS:-2}"
STAMP="$(date -u +%Y-%m-%dT%H%M%SZ)"
RESULTS="bench/results/$STAMP.json"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/unum-bench-XXXXXX")"
REDIS_PID=""
cleanup() {
  if [[ -n "$REDIS_PID" ]]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- configuration: one line per URL ---------------------------------------
STORES=("memory://" "sqlite://$WORK/bench.db")
PLATFORM="inproc://"                       # the embedded platform
LATENCY_STORE="memory://?latency=aws"      # the cloud-latency model
LATENCY_PLATFORM="inproc://?latency=aws"
GCS=(--gc delete --gc expire)              # both garbage collection policies
if [[ "$SMOKE" == 1 ]]; then
  REPS=1
  MACRO_CASES=(chain-10)
  BIG_CASES=()
  BIG_REPS=1
  WIDTHS=(2)
  SWEEP_REPS=1
  SFN_CASES=(sfn-chain-3 sfn-map-4)
  LATENCY_CHAIN=chain-3
  NO_MICRO=1
elif [[ "$QUICK" == 1 ]]; then
  REPS="${REPS:-3}"
  MACRO_CASES=(chain-100 chain-1000 map-1000 pipeline-16x4)
  BIG_CASES=(chain-10000 map-10000)        # memory:// only, 1 run
  BIG_REPS=1
  WIDTHS=(2 4 8 16 32 64 128 256 512)
  SWEEP_REPS=3
  SFN_CASES=(sfn-chain-100 sfn-map-1000)
  LATENCY_CHAIN=chain-10
else
  REPS="${REPS:-5}"
  MACRO_CASES=(chain-100 chain-1000 map-1000 pipeline-64x4)
  BIG_CASES=(chain-10000 map-10000)        # every store
  BIG_REPS="${BIG_REPS:-3}"
  WIDTHS=(2 4 8 16 32 64 128 256 512 1024)
  SWEEP_REPS=5
  SFN_CASES=(sfn-chain-100 sfn-map-1000 sfn-map-10000)
  LATENCY_CHAIN=chain-20
fi
EXAMPLES=()
for t in examples/*/unum-template.yaml; do
  EXAMPLES+=("$(basename "$(dirname "$t")")")
done
if [[ "$SMOKE" == 1 ]]; then EXAMPLES=(hello-world); fi
EXPECT_FLAGS=()
for e in ${BENCH_EXPECT:-}; do EXPECT_FLAGS+=(--expect "$e"); done
# What failed (a wrong result, a failed run): reported at the end, exit 1.
FAILURES=()
# Runs unum-bench-macro; a failed case is recorded, not ignored.
macro() {
  local what="$1"
  shift
  if ! "$MACRO" "${EXPECT_FLAGS[@]}" "$@"; then
    FAILURES+=("$what: unum-bench-macro reported a failed case (see above)")
  fi
}
# -----------------------------------------------------------------------------

if [[ "${NO_BUILD:-0}" == 1 ]]; then
  echo "[bench] using the build in $BUILD_DIR as it is" >&2
elif echo "[bench] building in $BUILD_DIR" >&2 &&
     [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  LAUNCHER=()
  if command -v ccache >/dev/null; then
    LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
              -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "${LAUNCHER[@]}" -DUNUM_BUILD_BENCH=ON >&2
fi
TARGETS=(unum-bench-macro unum-bench-aws)
if [[ -z "${NO_MICRO:-}" ]]; then TARGETS+=(unum-bench-micro); fi
for t in examples/*/unum-template.yaml; do
  name="$(sed -n 's/^[[:space:]]*ApplicationName:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$t")"
  TARGETS+=("unum_app_$name")
done
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  ninja -C "$BUILD_DIR" -j "$JOBS" "${TARGETS[@]}" >&2
fi
MACRO="$BUILD_DIR/unum-bench-macro"

# Redis: the given URL, else a server of our own on a free loopback port.
if [[ "$SMOKE" != 1 && -z "${REDIS_URL:-}" ]] &&
   command -v redis-server >/dev/null &&
   command -v redis-cli >/dev/null; then
  # shellcheck source=bench/start_redis.sh
  source bench/start_redis.sh
  start_redis "$WORK" || true
  if [[ -n "$REDIS_PID" ]]; then REDIS_URL="redis://127.0.0.1:$PORT/0"; fi
fi
if [[ -n "${REDIS_URL:-}" ]]; then
  STORES+=("$REDIS_URL")
else
  echo "[bench] no redis-server: redis:// cases are left out" >&2
fi

store_flags() { for s in "$@"; do printf -- '--store\n%s\n' "$s"; done; }
case_flags() { for c in "$@"; do printf -- '--case\n%s\n' "$c"; done; }

# ---- micro ------------------------------------------------------------------
MICRO_JSON="$WORK/micro.json"
if [[ -z "${NO_MICRO:-}" ]]; then
  echo "[bench] micro" >&2
  MIN_TIME=0.5
  if [[ "$QUICK" == 1 ]]; then MIN_TIME=0.05; fi
  "$BUILD_DIR/unum-bench-micro" --benchmark_min_time="$MIN_TIME" \
    --benchmark_out="$MICRO_JSON" --benchmark_out_format=json >&2
else
  echo '{}' >"$MICRO_JSON"
fi

# ---- macro ------------------------------------------------------------------
echo "[bench] macro" >&2
mapfile -t flags < <(case_flags "${MACRO_CASES[@]}"
                     for e in "${EXAMPLES[@]}"; do case_flags "example-$e"; done
                     store_flags "${STORES[@]}")
macro "macro" "${flags[@]}" --platform "$PLATFORM" "${GCS[@]}" --reps "$REPS" \
  --json "$WORK/macro.json"
BIG_STORES=("${STORES[@]}")
if [[ "$QUICK" == 1 ]]; then BIG_STORES=("memory://"); fi
mapfile -t flags < <(case_flags "${BIG_CASES[@]}"
                     store_flags "${BIG_STORES[@]}")
if ((${#BIG_CASES[@]} > 0)); then
  macro "big cases" "${flags[@]}" --platform "$PLATFORM" "${GCS[@]}" \
    --reps "$BIG_REPS" --json "$WORK/macro-big.json"
else
  echo '{"results": []}' >"$WORK/macro-big.json"
fi

# ---- map-width sweep (the plot) ------------------------------------------------
echo "[bench] map-width sweep" >&2
mapfile -t flags < <(for w in "${WIDTHS[@]}"; do case_flags "map-$w"; done)
macro "map-width sweep" "${flags[@]}" --store memory:// --platform "$PLATFORM" \
  --reps "$SWEEP_REPS" --json "$WORK/sweep.json"
macro "map-width sweep, latency model" "${flags[@]}" --store "$LATENCY_STORE" \
  --platform "$LATENCY_PLATFORM" "${GCS[@]}" --reps "$SWEEP_REPS" \
  --json "$WORK/sweep-latency.json"
echo "[bench] per-transition latency with the cloud-latency model" >&2
macro "chain, latency model" --case "$LATENCY_CHAIN" --store "$LATENCY_STORE" \
  --platform "$LATENCY_PLATFORM" "${GCS[@]}" --reps "$((SMOKE == 1 ? 1 : 3))" \
  --json "$WORK/chain-latency.json"

# ---- AWS backends, locally ----------------------------------------------------
AWS_JSON="$WORK/aws.jsonl"
: >"$AWS_JSON"
if [[ -z "${NO_AWS:-}" && "$SMOKE" != 1 ]]; then
  echo "[bench] AWS backends, locally" >&2
  AWS_CASES=(--case lambda-in-flight)
  if bash tests/dynamodb-peer/install.sh >&2; then
    AWS_CASES+=(--case dynamodb-fan-in)
  else
    echo "[bench] no dynalite: the dynamodb fan-in is left out" >&2
  fi
  if ! "$BUILD_DIR/unum-bench-aws" "${AWS_CASES[@]}" >>"$AWS_JSON"; then
    FAILURES+=("AWS backends: $(grep '"failed"' "$AWS_JSON" | head -1)")
  fi
fi

# ---- side by side -----------------------------------------------------------------
SFN_PEER="$WORK/sfn-peer.jsonl"
: >"$SFN_PEER"
echo '{"results": []}' >"$WORK/sfn-unum.json"
if [[ -z "${NO_SFN:-}" ]]; then
  for e in "${EXAMPLES[@]}"; do
    if [[ -f "examples/$e/unum-step-functions.json" ]]; then
      SFN_CASES+=("sfn-example-$e")
    fi
  done
  if bash tests/asl/peer/install.sh >&2; then
    echo "[bench] side by side: aws-local-stepfunctions" >&2
    for c in "${SFN_CASES[@]}"; do
      if ! "$MACRO" "${EXPECT_FLAGS[@]}" --emit-sfn "$c" --json "$WORK/$c.json"; then
        FAILURES+=("$c: the state machine case could not be built")
        continue
      fi
      if ! node bench/sfn-local/run.mjs "$WORK/$c.json" --reps "$REPS" \
             >>"$SFN_PEER"; then
        FAILURES+=("$c: aws-local-stepfunctions: $(tail -1 "$SFN_PEER")")
      fi
    done
  else
    echo "[bench] aws-local-stepfunctions not available (needs Node >= 18.19)" >&2
  fi
  # Traced as `unum run` is and not, a worker per core and one worker.
  echo "[bench] side by side: unum" >&2
  mapfile -t flags < <(case_flags "${SFN_CASES[@]}")
  macro "side by side" "${flags[@]}" --store memory:// --platform "$PLATFORM" \
    --platform "inproc://?workers=1" --trace both --reps "$REPS" \
    --json "$WORK/sfn-unum.json"
fi

if ((${#FAILURES[@]} > 0)); then
  echo "[bench] FAILED: a benchmark gave a wrong result or did not finish;" \
       "nothing was written to docs/ or bench/results/:" >&2
  for f in "${FAILURES[@]}"; do echo "  - $f" >&2; done
  exit 1
fi
if [[ "$SMOKE" == 1 ]]; then
  echo "[bench] smoke run: every result checked and right" >&2
  exit 0
fi

# ---- report -----------------------------------------------------------------
mkdir -p bench/results docs/images
if ! command -v gnuplot >/dev/null; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo -n"; fi
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $SUDO apt-get install -y -qq --no-install-recommends gnuplot-nox; } >&2 ||
    echo "[bench] no gnuplot and cannot install it: apt-get install gnuplot-nox" >&2
fi
python3 bench/report.py --build-dir "$BUILD_DIR" --quick "$QUICK" \
  --micro "$MICRO_JSON" \
  --macro "$WORK/macro.json" "$WORK/macro-big.json" \
  --sweep "$WORK/sweep.json" "$WORK/sweep-latency.json" \
  --chain-latency "$WORK/chain-latency.json" \
  --sfn-peer "$SFN_PEER" --sfn-unum "$WORK/sfn-unum.json" \
  --aws "$AWS_JSON" \
  --results "$RESULTS" --markdown docs/benchmarks.md \
  --plot docs/images/bench-map-width.png --work "$WORK"
echo "[bench] wrote $RESULTS, docs/benchmarks.md, docs/images/bench-map-width.png" >&2
