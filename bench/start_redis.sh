# Sourced by the bench scripts. start_redis DIR starts a throwaway
# redis-server (no persistence) on a free loopback port, with its log in
# DIR; on success it sets PORT and REDIS_PID, else it returns 1 with
# REDIS_PID empty.
start_redis() {
  local dir="$1"
  for _ in $(seq 1 20); do
    PORT=$((20000 + RANDOM % 20000))
    redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --dir "$dir" --logfile "$dir/redis.log" --daemonize no &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
      if redis-cli -p "$PORT" ping >/dev/null 2>&1; then return 0; fi
      if ! kill -0 "$REDIS_PID" 2>/dev/null; then break; fi
      sleep 0.02
    done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
  done
  return 1
}
