# Redis for the shared rate-limit store tests: a private instance on a free
# loopback port, no persistence, in $TESTENV_DIR. Sourced by testenv_start.
if command -v redis-server >/dev/null 2>&1; then
  redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  mkdir -p "$TESTENV_DIR/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$TESTENV_DIR/redis" --daemonize yes --pidfile "$TESTENV_DIR/redis/redis.pid" \
    --logfile "$TESTENV_DIR/redis/redis.log" >/dev/null
  for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    export BULWARK_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
    TESTENV_CLEANUP+=("redis-cli -p $redis_port shutdown nosave")
  else
    echo "testenv: redis-server did not start (see $TESTENV_DIR/redis/redis.log)" >&2
  fi
  unset redis_port
else
  echo "testenv: redis-server not installed; Redis tests will be skipped" >&2
fi
