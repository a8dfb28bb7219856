#!/usr/bin/env bash
# Redis backend benchmark (not part of the tests): transitions per second and
# Redis round trips per transition for
#   - a chain of CHAIN_LENGTH functions (default 1,000),
#   - a map of MAP_SIZE terminal branches (default 10,000), and
#   - a map of MAP_SIZE branches into one fan-in,
# run by 1, 2 and 4 `unum worker` processes on a redis-server started here
# on a free loopback port (no persistence).
#
#   bash bench/redis_bench.sh                 # uses build/ (or $UNUM_BUILD_DIR)
#   WORKERS="1 4" THREADS=2 BATCH=4 RUNS=3 FANIN_RUNS=1 bash bench/redis_bench.sh
#   THREADS=8 BATCH=4 PIPELINES=1 bash bench/redis_bench.sh   # merged calls
#
# Needs the targets unum, unum_app_unum-dist-fanout, unum_app_unum-dist-map
# and unum_app_unum-dist-chain (built with the tests). A transition is one
# function instance run; its time is the wall time of `unum run` (submit to
# result, GC drained), best of RUNS. Round trips are counted by the workers'
# Redis client (`unum worker --stats`): every call a delivery waited for,
# less idle reads and housekeeping, divided by the instances they ran; the
# submitting `unum run` (one XADD, then polling) is not counted. With
# PIPELINES > 0 (?pipelines=) a worker's threads merge their calls, so
# fewer socket round trips ("pipelines") carry them: both are shown.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${UNUM_BUILD_DIR:-build}"
UNUM="$BUILD_DIR/unum"
CHAIN_LENGTH="${CHAIN_LENGTH:-1000}"
MAP_SIZE="${MAP_SIZE:-10000}"
WORKERS="${WORKERS:-1 2 4}"
THREADS="${THREADS:-2}"
RUNS="${RUNS:-3}"
FANIN_RUNS="${FANIN_RUNS:-1}"  # the fan-in map is slow: see docs/backends.md
BATCH="${BATCH:-1}"  # entries a worker thread reads at once (?batch=)
PIPELINES="${PIPELINES:-0}"  # merged pipelines per worker pool (?pipelines=)

for f in "$UNUM" "$BUILD_DIR/apps/unum-dist-fanout.so" \
         "$BUILD_DIR/apps/unum-dist-map.so" \
         "$BUILD_DIR/apps/unum-dist-chain.so"; do
  if [[ ! -e "$f" ]]; then
    echo "missing $f: cmake --build $BUILD_DIR --target unum" \
         "unum_app_unum-dist-fanout unum_app_unum-dist-map" \
         "unum_app_unum-dist-chain" >&2
    exit 2
  fi
done
command -v redis-server >/dev/null || {
  echo "redis-server not found (bash scripts/setup.sh installs it)" >&2
  exit 2
}

TMP="$(mktemp -d /tmp/unum-redis-bench-XXXXXX)"
REDIS_PID=""
WORKER_PIDS=()
cleanup() {
  for p in "${WORKER_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [[ -n "$REDIS_PID" ]]; then
    kill -KILL "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# A redis-server on a free loopback port.
# shellcheck source=bench/start_redis.sh
source "$(dirname "$0")/start_redis.sh"
start_redis "$TMP" || true
[[ -n "$REDIS_PID" ]] || { echo "could not start redis-server" >&2; exit 3; }
URL="redis://127.0.0.1:$PORT/0"

# The chain app: Step0 -> Step1 -> ... (IR generated here).
CHAIN="$TMP/chain"
mkdir -p "$CHAIN"
{
  echo "Globals:"
  echo "  ApplicationName: unum-dist-chain"
  echo "  Checkpoint: true"
  echo "Functions:"
  for ((k = 0; k < CHAIN_LENGTH; k++)); do
    echo "  Step$k:"
    echo "    Properties:"
    echo "      CodeUri: step$k/"
    echo "      Runtime: cpp"
  done
} >"$CHAIN/unum-template.yaml"
for ((k = 0; k < CHAIN_LENGTH; k++)); do
  mkdir -p "$CHAIN/step$k"
  start=false
  ((k == 0)) && start=true
  if ((k + 1 < CHAIN_LENGTH)); then
    next=", \"Next\": {\"Name\": \"Step$((k + 1))\", \"InputType\": \"Scalar\"}"
  else
    next=""
  fi
  echo "{\"Name\": \"Step$k\", \"Start\": $start, \"Checkpoint\": true$next}" \
    >"$CHAIN/step$k/unum_config.json"
done
MAP_APP="tests/distributed/fixtures/fanout"     # Fan -> Work x N -> Gather
MAP_ONLY_APP="tests/distributed/fixtures/map"  # Fan -> Work x N (terminal)

now() { date +%s.%N; }

# CPU seconds (user + system) a process has used so far.
cpu_of() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f\n", ($14 + $15) / hz}' \
    "/proc/$1/stat" 2>/dev/null || echo 0
}

start_workers() {  # app n
  WORKER_PIDS=()
  local i
  for ((i = 0; i < $2; i++)); do
    "$UNUM" worker "$1" --redis "$URL?batch=$BATCH&pipelines=$PIPELINES" --concurrency "$THREADS" \
      --stats \
      >"$TMP/worker-$i.out" 2>"$TMP/worker-$i.err" &
    WORKER_PIDS+=($!)
  done
}

stop_workers() {  # writes "deliveries calls pipelines cpu" to $TMP/trips
  local p cpu=0
  for p in "${WORKER_PIDS[@]}"; do
    cpu=$(awk -v a="$cpu" -v b="$(cpu_of "$p")" 'BEGIN{print a + b}')
  done
  for p in "${WORKER_PIDS[@]}"; do kill -TERM "$p"; done
  for p in "${WORKER_PIDS[@]}"; do wait "$p" || true; done
  WORKER_PIDS=()
  cat "$TMP"/worker-*.out | awk '
    { d = rt = calls = idle = hk = c = 0
      n = split($0, kv, /[,{}]/)
      for (i = 1; i <= n; i++) {
        split(kv[i], p, ":"); gsub(/"/, "", p[1])
        if (p[1] == "user_runs") d = p[2]
        if (p[1] == "round_trips") rt = p[2]
        if (p[1] == "calls") calls = p[2]
        if (p[1] == "idle_round_trips") idle = p[2]
        if (p[1] == "housekeeping_round_trips") hk = p[2]
        if (p[1] == "connects") c = p[2]
      }
      D += d; H += calls - idle - hk - c; P += rt - idle - hk - c }
    END { printf "%d %d %d", D, H, P }' >"$TMP/trips"
  echo " $cpu" >>"$TMP/trips"
  rm -f "$TMP"/worker-*.out
}

run_once() {  # app input -> seconds
  local t0 t1
  t0=$(now)
  echo "$2" | "$UNUM" run "$1" --platform "$URL" --store "$URL" --compact \
    --no-progress --timeout 600 >"$TMP/result.json"
  t1=$(now)
  echo "$t0 $t1" | awk '{printf "%.3f\n", $2 - $1}'
}

bench() {  # label app input transitions warm-up-input runs
  local label=$1 app=$2 input=$3 transitions=$4 warmup=$5 runs=$6 w best
  for w in $WORKERS; do
    local redis_cpu0
    redis_cpu0=$(cpu_of "$REDIS_PID")
    start_workers "$app" "$w"
    run_once "$app" "$warmup" >/dev/null  # connections, page cache
    best=""
    for ((r = 0; r < runs; r++)); do
      s=$(run_once "$app" "$input")
      if [[ -z "$best" ]] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
    done
    stop_workers
    read -r delivered trips pipes worker_cpu <"$TMP/trips"
    redis_cpu=$(awk -v a="$(cpu_of "$REDIS_PID")" -v b="$redis_cpu0" \
                'BEGIN{print a - b}')
    # CPU per transition over every run of this configuration (warm-up
    # included), workers and redis-server: what the 2 cores must supply.
    awk -v l="$label" -v w="$w" -v t="$THREADS" -v n="$transitions" \
        -v s="$best" -v d="$delivered" -v h="$trips" -v p="$pipes" \
        -v wc="$worker_cpu" -v rc="$redis_cpu" 'BEGIN {
      printf "%-22s %2d x %d threads  %6d transitions  best %6.3f s" \
             "  %7.0f transitions/s  %4.2f round trips/transition" \
             " (%4.2f pipelines)" \
             "  cpu/transition: workers %4.0f us, redis %3.0f us\n",
             l, w, t, n, s, n / s, (d > 0 ? h / d : 0), (d > 0 ? p / d : 0),
             (d > 0 ? wc * 1e6 / d : 0), (d > 0 ? rc * 1e6 / d : 0) }'
  done
}

echo "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')" \
     "on 127.0.0.1:$PORT; $(nproc) cores; batch $BATCH;" \
     "pipelines $PIPELINES; $RUNS runs each," \
     "best shown;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench "chain of $CHAIN_LENGTH" "$CHAIN" '{"n": 0}' "$CHAIN_LENGTH" \
  '{"n": 0}' "$RUNS"
bench "map of $MAP_SIZE" "$MAP_ONLY_APP" "{\"n\": $MAP_SIZE}" \
  "$((MAP_SIZE + 1))" '{"n": 10}' "$RUNS"
bench "map of $MAP_SIZE + fan-in" "$MAP_APP" "{\"n\": $MAP_SIZE}" \
  "$((MAP_SIZE + 2))" '{"n": 10}' "$FANIN_RUNS"
