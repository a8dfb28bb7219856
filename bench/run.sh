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
#     checkpoints on, memory store, embedded platform),
# and writes bench/results/<UTC time>.json, regenerates docs/benchmarks.md
# (bench/report.py) and the plot docs/images/bench-map-width.png (gnuplot;
# Debian gnuplot-nox, installed here with apt-get when missing and
# possible).
#
# Knobs: REPS (timed runs per case), REDIS_URL, JOBS (build parallelism),
# NO_SFN=1 (skip the side by side), NO_MICRO=1.
# The datastore and platform URLs of each group are set below: a URL this
# build does not understand yet is reported as "skipped" with its error.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK="${QUICK:-0}"
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
if [[ "$QUICK" == 1 ]]; then
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
# -----------------------------------------------------------------------------

echo "[bench] building in $BUILD_DIR" >&2
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  LAUNCHER=()
  if command -v ccache >/dev/null; then
    LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
              -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "${LAUNCHER[@]}" -DUNUM_BUILD_BENCH=ON >&2
fi
TARGETS=(unum-bench-macro)
if [[ -z "${NO_MICRO:-}" ]]; then TARGETS+=(unum-bench-micro); fi
for t in examples/*/unum-template.yaml; do
  name="$(sed -n 's/^[[:space:]]*ApplicationName:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$t")"
  TARGETS+=("unum_app_$name")
done
ninja -C "$BUILD_DIR" -j "$JOBS" "${TARGETS[@]}" >&2
MACRO="$BUILD_DIR/unum-bench-macro"

# Redis: the given URL, else a server of our own on a free loopback port.
if [[ -z "${REDIS_URL:-}" ]] && command -v redis-server >/dev/null &&
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
"$MACRO" "${flags[@]}" --platform "$PLATFORM" "${GCS[@]}" --reps "$REPS" \
  --json "$WORK/macro.json" || true
BIG_STORES=("${STORES[@]}")
if [[ "$QUICK" == 1 ]]; then BIG_STORES=("memory://"); fi
mapfile -t flags < <(case_flags "${BIG_CASES[@]}"
                     store_flags "${BIG_STORES[@]}")
"$MACRO" "${flags[@]}" --platform "$PLATFORM" "${GCS[@]}" \
  --reps "$BIG_REPS" --json "$WORK/macro-big.json" || true

# ---- map-width sweep (the plot) ------------------------------------------------
echo "[bench] map-width sweep" >&2
mapfile -t flags < <(for w in "${WIDTHS[@]}"; do case_flags "map-$w"; done)
"$MACRO" "${flags[@]}" --store memory:// --platform "$PLATFORM" \
  --reps "$SWEEP_REPS" --json "$WORK/sweep.json" || true
"$MACRO" "${flags[@]}" --store "$LATENCY_STORE" --platform "$LATENCY_PLATFORM" \
  "${GCS[@]}" --reps "$SWEEP_REPS" --json "$WORK/sweep-latency.json" || true
echo "[bench] per-transition latency with the cloud-latency model" >&2
"$MACRO" --case "$LATENCY_CHAIN" --store "$LATENCY_STORE" \
  --platform "$LATENCY_PLATFORM" "${GCS[@]}" --reps 3 \
  --json "$WORK/chain-latency.json" || true

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
      "$MACRO" --emit-sfn "$c" --json "$WORK/$c.json"
      node bench/sfn-local/run.mjs "$WORK/$c.json" --reps "$REPS" \
        >>"$SFN_PEER" || true
    done
  else
    echo "[bench] aws-local-stepfunctions not available (needs Node >= 20.6)" >&2
  fi
  echo "[bench] side by side: unum" >&2
  mapfile -t flags < <(case_flags "${SFN_CASES[@]}")
  "$MACRO" "${flags[@]}" --store memory:// --platform "$PLATFORM" \
    --reps "$REPS" --json "$WORK/sfn-unum.json" || true
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
  --results "$RESULTS" --markdown docs/benchmarks.md \
  --plot docs/images/bench-map-width.png --work "$WORK"
echo "[bench] wrote $RESULTS, docs/benchmarks.md, docs/images/bench-map-width.png" >&2
