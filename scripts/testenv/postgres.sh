# Sourced by scripts/testenv.sh: starts a throwaway PostgreSQL 15 cluster for
# the tests in $TESTENV_DIR/postgres, listening on 127.0.0.1 only (plus a Unix
# socket in that directory) on a private port, with password (SCRAM) auth and
# TLS (a self-signed certificate for localhost/127.0.0.1). Exports:
#   BULWARK_TEST_PG_URL            superuser URL (owner of everything; for setup)
#   BULWARK_TEST_PG_SSL_ROOT_CERT  the certificate, to test sslmode=verify-full
# Durability is off (fsync, synchronous_commit): the data is thrown away.
# Runs as the `postgres` OS user when started as root (initdb refuses root).

testenv_postgres_start() {
  local bin=/usr/lib/postgresql/15/bin
  if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "testenv/postgres: $bin/initdb not found (scripts/setup.sh installs postgresql)" >&2
    return 1
  fi
  local dir="$TESTENV_DIR/postgres"
  local -a as_pg=()
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    as_pg=(runuser -u postgres --)
  fi

  local password
  password=$(od -An -N 24 -tx1 /dev/urandom | tr -d ' \n')
  "${as_pg[@]}" sh -c "umask 077 && printf '%s\n' '$password' > '$dir/pwfile'"
  if ! "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1; then
    echo "testenv/postgres: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    return 1
  fi
  rm -f "$dir/pwfile"

  local ssl_opts=""
  if command -v openssl >/dev/null 2>&1 &&
     "${as_pg[@]}" sh -c "umask 077 && openssl req -x509 -newkey ec \
        -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
        -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
        -addext 'basicConstraints=critical,CA:TRUE' \
        -keyout '$dir/server.key' -out '$dir/server.crt'" >/dev/null 2>&1; then
    chmod 644 "$dir/server.crt"
    ssl_opts="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
    export BULWARK_TEST_PG_SSL_ROOT_CERT="$dir/server.crt"
  fi

  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 30000))
    if "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c max_connections=200 -c shared_buffers=64MB $ssl_opts" \
        start >/dev/null 2>&1; then
      TESTENV_CLEANUP+=("${as_pg[*]} $bin/pg_ctl -D '$dir/data' -m immediate -w stop")
      export BULWARK_TEST_PG_URL="postgresql://postgres:$password@127.0.0.1:$port/postgres"
      return 0
    fi
  done
  echo "testenv/postgres: the server did not start:" >&2
  tail -n 20 "$dir/server.log" >&2 || true
  return 1
}

testenv_postgres_start
