#!/usr/bin/env bash
# Account-service benchmark (issue 7):
#   1. authenticated GET /v1/me with a JWT and with a session cookie, next to
#      nginx answering a static JSON body of the same size, in the same run;
#   2. GET /v1/me p99 while 200 connections flood POST /v1/sessions with
#      wrong passwords, against its p99 without the flood.
# Usage: bench/service/run.sh [path/to/bulwark]   (default: the release-hardened build)
# Env: DURATION (s, default 10), CONNS (default 32), THREADS (server threads, default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/release-hardened/apps/bulwark/bulwark}
duration=${DURATION:-10}
conns=${CONNS:-32}
threads=${THREADS:-2}
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (scripts/setup.sh installs it)" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "bench: $bin not built" >&2; exit 2; }
nginx_bin=$(command -v nginx)
scratch=$(mktemp -d /tmp/bulwark-service-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; echo "bench: port $1 not up" >&2; cat "$scratch"/*.err "$scratch"/nginx/error.log 2>/dev/null >&2; exit 1; }

# --- bulwark serve (SQLite), access log to a file
port=$(free_port)
BULWARK_RATE_LIMIT_PER_MINUTE=10000000 BULWARK_RATE_LIMIT_BURST=1000000 BULWARK_THREADS=$threads \
  "$bin" serve --listen "127.0.0.1:$port" --data-dir "$scratch/data" >"$scratch/access.log" 2>"$scratch/server.err" &
pids+=($!)
wait_port "$port"
base="http://127.0.0.1:$port"
curl -sf -o /dev/null -X POST "$base/v1/accounts" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark walrus quilt 9","display_name":"Bench"}'
access=$(curl -sf -X POST "$base/v1/tokens" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark walrus quilt 9"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
cookie=$(curl -sf -D - -o /dev/null -X POST "$base/v1/sessions" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark walrus quilt 9"}' |
  awk -F'[:;] *' 'tolower($1)=="set-cookie" {print $2}')
body=$(curl -sf "$base/v1/me" -H "Authorization: Bearer $access")

# --- nginx, one worker, the same body
nport=$(free_port)
mkdir -p "$scratch/nginx"
cat >"$scratch/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log /dev/null;
  client_body_temp_path $scratch/nginx; proxy_temp_path $scratch/nginx; fastcgi_temp_path $scratch/nginx;
  uwsgi_temp_path $scratch/nginx; scgi_temp_path $scratch/nginx;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$nport; location = /v1/me { default_type application/json; return 200 '$body'; } }
}
CONF
"$nginx_bin" -c "$scratch/nginx/nginx.conf" -e "$scratch/nginx/error.log" &
pids+=($!)
wait_port "$nport"

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v}'; }
measure() {  # conns duration url [header] -> "rps p50 p99 non2xx"
  local c=$1 d=$2 url=$3; shift 3
  local args=()
  [ $# -gt 0 ] && args=(-H "$1")
  wrk -t1 -c2 -d1s "${args[@]}" "$url" >/dev/null 2>&1 || true
  local out
  out=$(wrk -t1 -c"$c" -d"${d}s" --latency "${args[@]}" "$url")
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 ${bad:-0}"
}

echo "service benchmark: wrk -t1 -c$conns -d${duration}s, bulwark serve with $threads threads on SQLite, $(nproc) cores"
printf '%-38s %12s %9s %9s %8s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx"
read -r r a b c < <(measure "$conns" "$duration" "$base/v1/me" "Authorization: Bearer $access")
printf '%-38s %12s %9s %9s %8s\n' "GET /v1/me, Bearer JWT (EdDSA)" "$r" "$a" "$b" "$c"
read -r r a b c < <(measure "$conns" "$duration" "$base/v1/me" "Cookie: $cookie")
printf '%-38s %12s %9s %9s %8s\n' "GET /v1/me, session cookie" "$r" "$a" "$b" "$c"
read -r r a b c < <(measure "$conns" "$duration" "http://127.0.0.1:$nport/v1/me")
printf '%-38s %12s %9s %9s %8s\n' "nginx return 200 (same body)" "$r" "$a" "$b" "$c"

# --- login flood: 200 connections of wrong-password logins while /v1/me is measured
cat >"$scratch/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  -- Spread over many accounts (mostly unknown ones: dummy-hash path) so the
  -- per-account backoff alone does not absorb the flood.
  local body = string.format('{"email":"victim%d@example.com","password":"wrong password %d"}', counter % 500, counter)
  return wrk.format(nil, "/v1/sessions", nil, body)
end
LUA
mconns=8
read -r r0 a0 b0 c0 < <(measure "$mconns" "$duration" "$base/v1/me" "Authorization: Bearer $access")
wrk -t1 -c200 -d"$((duration + 4))s" -s "$scratch/flood.lua" "$base" >"$scratch/flood.out" 2>&1 &
flood=$!
sleep 2
read -r r1 a1 b1 c1 < <(measure "$mconns" "$duration" "$base/v1/me" "Authorization: Bearer $access")
wait "$flood" || true
flood_rps=$(awk '/^Requests\/sec:/ {print $2}' "$scratch/flood.out")
echo
echo "login flood: 200 connections POST /v1/sessions with wrong passwords ($flood_rps req/s answered)"
printf '%-38s %12s %9s %9s %8s\n' "GET /v1/me JWT, -c$mconns, no flood" "$r0" "$a0" "$b0" "$c0"
printf '%-38s %12s %9s %9s %8s\n' "GET /v1/me JWT, -c$mconns, during flood" "$r1" "$a1" "$b1" "$c1"
awk -v a="$b0" -v b="$b1" 'BEGIN { if (a > 0) printf "p99 ratio flood/no flood: %.2fx (goal < 2x)\n", b / a }'
status=$(grep -o '"path":"/v1/sessions","route":"/v1/sessions","status":[0-9]*' "$scratch/access.log" |
  sed 's/.*status"://' | sort | uniq -c | tr '\n' ' ')
echo "flood answers by status: $status"
curl -s "$base/metrics" | grep -E '^bulwark_(hash_pool_rejected_total|login_throttled_total|hash_pool_completed_total)' || true
