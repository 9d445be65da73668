#!/usr/bin/env bash
# HTTP benchmark: wrk on loopback against
#   (a) bulwark, one JSON GET route through SecureDefaults()
#   (b) bulwark, the same route with no middleware
#   (c) nginx (Debian) returning the same body with `return 200`
#   (d) Node express + helmet + express-rate-limit (npm, installed here into
#       a scratch directory), the same route
# each over plain HTTP and TLS, and prints req/s, p50/p99 and the ratios
# a/b, a/c, a/d. Every server gets one worker thread/process; wrk one thread.
#
#   bench/http/run.sh [seconds per run, default 10] [connections, default 64]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
duration=${1:-10}
conns=${2:-64}

for tool in wrk nginx openssl node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
nginx_bin=$(command -v nginx)

build=$root/build/http-bench
# -Werror is for CI builds; a compiler false positive in another module at -O3
# must not stop a measurement.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBULWARK_WERROR=OFF \
  -DBULWARK_BUILD_TESTS=OFF -DBULWARK_MODULES="core;crypto;validate;http" >/dev/null
cmake --build "$build" --target http_bench_server >/dev/null
server_bin=$build/src/http/http_bench_server

scratch=$(mktemp -d /tmp/bulwark-http-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: nothing listening on $1" >&2; return 1
}

# A throwaway P-256 certificate for the TLS runs.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null

body='{"message":"hello","ok":true}'

# --- express + helmet + express-rate-limit, from the npm registry.
mkdir -p "$scratch/express"
cat >"$scratch/express/package.json" <<'JSON'
{"name": "bulwark-bench-express", "private": true,
 "dependencies": {"express": "^4.21.0", "helmet": "^8.0.0", "express-rate-limit": "^7.4.0"}}
JSON
(cd "$scratch/express" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
cat >"$scratch/express/server.js" <<'JS'
const fs = require('fs');
const express = require('express');
const helmet = require('helmet');
const { rateLimit } = require('express-rate-limit');
const [port, cert, key] = process.argv.slice(2);
const app = express();
app.disable('x-powered-by');
app.use(helmet());
app.use(rateLimit({ windowMs: 60000, limit: 1000000000, standardHeaders: 'draft-7', legacyHeaders: false }));
app.get('/api/hello', (req, res) => res.json({ message: 'hello', ok: true }));
const server = cert
  ? require('https').createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, app)
  : require('http').createServer(app);
server.keepAliveTimeout = 60000;
server.listen(Number(port), '127.0.0.1');
JS

# --- nginx, one worker, same body.
nginx_conf() {  # port tls
  local listen="listen 127.0.0.1:$1;"
  local tls=""
  if [ "$2" = tls ]; then
    listen="listen 127.0.0.1:$1 ssl;"
    tls="ssl_certificate $scratch/cert.pem; ssl_certificate_key $scratch/key.pem; ssl_protocols TLSv1.2 TLSv1.3;"
  fi
  mkdir -p "$scratch/nginx-$1"
  cat >"$scratch/nginx-$1/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $scratch/nginx-$1/nginx.pid;
error_log $scratch/nginx-$1/error.log;
events { worker_connections 4096; }
http {
  access_log /dev/null;
  client_body_temp_path $scratch/nginx-$1;
  proxy_temp_path $scratch/nginx-$1;
  fastcgi_temp_path $scratch/nginx-$1;
  uwsgi_temp_path $scratch/nginx-$1;
  scgi_temp_path $scratch/nginx-$1;
  keepalive_requests 100000;
  server_tokens off;
  server {
    $listen
    $tls
    location = /api/hello { default_type application/json; return 200 '$body'; }
  }
}
CONF
  echo "$scratch/nginx-$1/nginx.conf"
}

start() {  # name tls; sets $port and appends the server's pid to $pids
  local name=$1 tls=$2
  port=$(free_port)
  local cert_args=()
  [ "$tls" = tls ] && cert_args=("$scratch/cert.pem" "$scratch/key.pem")
  case $name in
    secure|bare) "$server_bin" "$name" "$port" 1 "${cert_args[@]}" >/dev/null 2>"$scratch/$name-$tls.err" & ;;
    nginx) "$nginx_bin" -c "$(nginx_conf "$port" "$tls")" -e "$scratch/nginx-$port/error.log" & ;;
    express) node "$scratch/express/server.js" "$port" "${cert_args[@]}" >/dev/null 2>&1 & ;;
  esac
  pids+=($!)
  wait_port "$port"
}

# wrk prints e.g. "Requests/sec: 12345.67" and a latency distribution.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v}'; }
measure() {  # url -> "rps p50 p99 non2xx"
  local out
  wrk -t1 -c2 -d1s "$1" >/dev/null 2>&1 || true  # warm-up
  out=$(wrk -t1 -c"$conns" -d"${duration}s" --latency "$1")
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 ${bad:-0}"
}

declare -A rps p50 p99 bad
for tls in plain tls; do
  scheme=http; [ "$tls" = tls ] && scheme=https
  for name in secure bare nginx express; do
    start "$name" "$tls"
    # Sanity: the body is what every server must answer.
    got=$(curl -sk "$scheme://127.0.0.1:$port/api/hello" 2>/dev/null || true)
    if [ -n "$got" ] && [ "$got" != "$body" ]; then echo "bench: $name answered '$got'" >&2; fi
    read -r r a b c < <(measure "$scheme://127.0.0.1:$port/api/hello")
    rps[$name-$tls]=$r; p50[$name-$tls]=$a; p99[$name-$tls]=$b; bad[$name-$tls]=$c
    kill "${pids[-1]}" 2>/dev/null || true
    wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "HTTP benchmark: wrk -t1 -c$conns -d${duration}s, GET /api/hello, one server thread/process, $(nproc) cores"
printf '%-6s %-34s %12s %10s %10s %8s\n' mode server req/s p50_ms p99_ms non2xx
for tls in plain tls; do
  for name in secure bare nginx express; do
    case $name in
      secure) label="(a) bulwark SecureDefaults()";;
      bare) label="(b) bulwark no middleware";;
      nginx) label="(c) nginx return 200";;
      express) label="(d) express+helmet+rate-limit";;
    esac
    printf '%-6s %-34s %12s %10s %10s %8s\n' "$tls" "$label" "${rps[$name-$tls]}" \
      "${p50[$name-$tls]}" "${p99[$name-$tls]}" "${bad[$name-$tls]}"
  done
done
echo
printf '%-6s %8s %8s %8s   (goals: a/b >= 0.9, a/c >= 0.8, a/d >= 20, p99 <= 5 ms)\n' mode a/b a/c a/d
for tls in plain tls; do
  printf '%-6s %8s %8s %8s\n' "$tls" "$(ratio "${rps[secure-$tls]}" "${rps[bare-$tls]}")" \
    "$(ratio "${rps[secure-$tls]}" "${rps[nginx-$tls]}")" "$(ratio "${rps[secure-$tls]}" "${rps[express-$tls]}")"
done
