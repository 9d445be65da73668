#!/usr/bin/env bash
# End-to-end test of `bulwark db` on SQLite (and PostgreSQL when
# BULWARK_TEST_PG_URL is set): migrate, verify, backup, tampered restore
# refused, restore, argv password refused; reencrypt after a key rotation
# (bad arguments refused with exit 2 and nothing changed, an interrupted run
# loses nothing, a complete run leaves every row under the new keys, which
# still read after the old keys are retired).
#
#   cli_test.sh path/to/bulwark path/to/db_cli_fixture
set -euo pipefail
bin="$1"
fixture="$2"
work=$(mktemp -d /tmp/bulwark-db-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" keys generate-master --out "$work/master.key" 2>/dev/null
M="file:$work/master.key"
"$bin" keys generate --out "$work/aead.keyset" --master "$M" >/dev/null
mkdir -m 700 mig
printf 'CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL);\n' > mig/1_notes.sql
printf "INSERT INTO notes(id, body) VALUES (1, 'it''s here; really');\n" > mig/2_seed.sql
db="sqlite:$work/data/app.db"

"$bin" db migrate --database "$db" --dir mig | grep -q "schema version 2" || fail "migrate"
"$bin" db migrate --database "$db" --dir mig --verify-only >/dev/null || fail "verify"
[ "$(stat -c %a "$work/data")" = 700 ] || fail "directory mode"
[ "$(stat -c %a "$work/data/app.db")" = 600 ] || fail "file mode"

# An edited old migration is refused.
printf "INSERT INTO notes(id, body) VALUES (1, 'changed');\n" > mig/2_seed.sql
if "$bin" db migrate --database "$db" --dir mig 2>err.txt; then fail "edited migration accepted"; fi
grep -q "changed after it was applied" err.txt || fail "edited migration message"
printf "INSERT INTO notes(id, body) VALUES (1, 'it''s here; really');\n" > mig/2_seed.sql

"$bin" db backup --database "$db" --out "$work/app.backup" --keyset "$work/aead.keyset" --master "$M" 2>/dev/null
[ "$(stat -c %a "$work/app.backup")" = 600 ] || fail "backup mode"
if grep -q "really" "$work/app.backup"; then fail "backup is not encrypted"; fi

# Tampered and truncated backups are refused.
cp app.backup bad.backup
printf '\x01' | dd of=bad.backup bs=1 seek=200 conv=notrunc status=none
if "$bin" db restore --database "sqlite:$work/r1/app.db" --in "$work/bad.backup" --keyset "$work/aead.keyset" --master "$M" 2>/dev/null; then
  fail "tampered backup restored"
fi
head -c -10 app.backup > short.backup
if "$bin" db restore --database "sqlite:$work/r2/app.db" --in "$work/short.backup" --keyset "$work/aead.keyset" --master "$M" 2>/dev/null; then
  fail "truncated backup restored"
fi

"$bin" db restore --database "sqlite:$work/r3/app.db" --in "$work/app.backup" --keyset "$work/aead.keyset" --master "$M" 2>/dev/null
"$bin" db migrate --database "sqlite:$work/r3/app.db" --dir mig --verify-only >/dev/null || fail "restored schema"

# A PostgreSQL password on the command line is refused.
if "$bin" db migrate --database "postgresql://u:secret@127.0.0.1/db" --dir mig 2>err.txt; then fail "argv password"; fi
grep -q "visible to other users" err.txt || fail "argv password message"
if grep -q secret err.txt; then fail "password echoed"; fi

# primary_id KEYSET: the primary key id of a sealed keyset file.
primary_id() {
  "$bin" keys list --file "$1" --master "$M" --json | sed -n 's/^{"primary":\([0-9]*\),.*/\1/p'
}

# reencrypt_test NAME DATABASE [reencrypt options...]: rows written (by the
# fixture, into DATABASE; the options name it for the CLI) under
# old AEAD and MAC keys, both rotated, then `bulwark db reencrypt`.
reencrypt_test() {
  local name="$1" target="$2"
  shift 2
  local rows=1000 aead="$work/$name-aead.keyset" mac="$work/$name-mac.keyset"
  "$bin" keys generate --out "$aead" --master "$M" >/dev/null
  "$bin" keys generate --type hmac-sha256 --out "$mac" --master "$M" >/dev/null
  local old_aead old_mac new_aead new_mac
  old_aead=$(primary_id "$aead")
  old_mac=$(primary_id "$mac")
  [ -n "$old_aead" ] && [ -n "$old_mac" ] || fail "$name: keyset ids"
  "$fixture" seed "$target" "$aead" "$mac" "$work/master.key" "$rows" || fail "$name: seed"
  "$bin" keys rotate --file "$aead" --master "$M" >/dev/null
  "$bin" keys rotate --file "$mac" --master "$M" >/dev/null
  new_aead=$(primary_id "$aead")
  new_mac=$(primary_id "$mac")
  [ "$new_aead" != "$old_aead" ] && [ "$new_mac" != "$old_mac" ] || fail "$name: rotation"
  [ "$("$fixture" keyids "$target" "$aead" "$mac" "$work/master.key" "$rows")" = "$old_aead $rows" ] \
    || fail "$name: rows before reencrypt"
  # Not yet re-indexed: a lookup under the new MAC key alone misses.
  if "$fixture" check "$target" "$aead" "$mac" "$work/master.key" "$rows" 2>/dev/null; then
    fail "$name: blind index already under the new key"
  fi
  local re=("$bin" db reencrypt "$@" --master "$M" --mac-keyset "$mac" --table users --column email
            --blind-index-column email_index)

  # Bad arguments: a clear message, exit 2, nothing written.
  local rc
  expect_usage() {  # message, command...
    local message="$1"
    shift
    rc=0
    "$@" >out.txt 2>err.txt || rc=$?
    [ "$rc" = 2 ] || fail "$name: '$message': exit $rc, expected 2"
    grep -q -- "$message" err.txt || fail "$name: '$message' not in: $(cat err.txt)"
  }
  expect_usage "--keyset is required" "${re[@]}"
  expect_usage "--table is required" "$bin" db reencrypt "$@" --master "$M" --keyset "$aead" --column email
  expect_usage "--column is required" "$bin" db reencrypt "$@" --master "$M" --keyset "$aead" --table users
  expect_usage "batch_size must be positive" "${re[@]}" --keyset "$aead" --batch 0
  expect_usage "no such column\\|undefined column" "${re[@]/email_index/no_such_index}" --keyset "$aead"
  expect_usage "keyset" "${re[@]}" --keyset "$work/missing.keyset"
  [ "$("$fixture" keyids "$target" "$aead" "$mac" "$work/master.key" "$rows")" = "$old_aead $rows" ] \
    || fail "$name: a refused run changed rows"

  # Interrupted: killed (SIGKILL) once some rows are under the new key (one
  # row per transaction). Every row still reads, under the old key or the
  # new one, and is found by its blind index under either MAC key.
  "${re[@]}" --keyset "$aead" --batch 1 >/dev/null 2>&1 &
  local pid=$! tries=0
  while [ "$tries" -lt 200 ] && kill -0 "$pid" 2>/dev/null; do
    if "$fixture" keyids "$target" "$aead" "$mac" "$work/master.key" "$rows" | grep -q "^$new_aead "; then
      break
    fi
    sleep 0.05
    tries=$((tries + 1))
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$fixture" read "$target" "$aead" "$mac" "$work/master.key" "$rows" || fail "$name: rows lost by an interrupted run"
  echo "$name: interrupted after $tries polls; rows per key id (new $new_aead): $("$fixture" keyids "$target" "$aead" "$mac" "$work/master.key" "$rows" | tr "\n" " ")"

  # A complete run: every row under the new AEAD key, re-indexed under the new MAC key.
  "${re[@]}" --keyset "$aead" --batch 7 >out.txt || fail "$name: reencrypt"
  grep -q "scanned $rows," out.txt || fail "$name: reencrypt report: $(cat out.txt)"
  [ "$("$fixture" keyids "$target" "$aead" "$mac" "$work/master.key" "$rows")" = "$new_aead $rows" ] \
    || fail "$name: rows not under the new key"
  # The old keys retired: everything still reads and is found by the new index.
  "$bin" keys retire --file "$aead" --id "$old_aead" --master "$M" >/dev/null
  "$bin" keys retire --file "$mac" --id "$old_mac" --master "$M" >/dev/null
  "$fixture" check "$target" "$aead" "$mac" "$work/master.key" "$rows" || fail "$name: rows after retiring the old keys"
  # Nothing left to do.
  "${re[@]}" --keyset "$aead" >out.txt || fail "$name: second reencrypt"
  grep -q "scanned $rows, re-encrypted 0, re-indexed 0, changed concurrently 0" out.txt \
    || fail "$name: second reencrypt report: $(cat out.txt)"
}

reencrypt_test sqlite "sqlite:$work/enc/app.db" --database "sqlite:$work/enc/app.db"

if [ -n "${BULWARK_TEST_PG_URL:-}" ]; then
  # A database of its own on the shared test cluster.
  pgdb="db_cli_$RANDOM$RANDOM"
  admin_url="$BULWARK_TEST_PG_URL"
  psql "$admin_url" -qAtc "CREATE DATABASE $pgdb" >/dev/null
  trap 'psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT
  BULWARK_TEST_PG_URL="${BULWARK_TEST_PG_URL%/*}/$pgdb"
  BULWARK_DATABASE_URL="$BULWARK_TEST_PG_URL" "$bin" db migrate --sslmode disable --dir mig >/dev/null \
    || fail "postgres migrate"
  BULWARK_DATABASE_URL="$BULWARK_TEST_PG_URL" "$bin" db migrate --sslmode disable --dir mig --verify-only >/dev/null \
    || fail "postgres verify"
  BULWARK_DATABASE_URL="$BULWARK_TEST_PG_URL" "$bin" db backup --sslmode disable --out "$work/pg.backup" \
    --keyset "$work/aead.keyset" --master "$M" 2>/dev/null || fail "postgres backup"
  BULWARK_DATABASE_URL="$BULWARK_TEST_PG_URL" "$bin" db restore --sslmode disable --in "$work/pg.backup" \
    --keyset "$work/aead.keyset" --master "$M" 2>/dev/null || fail "postgres restore"
  BULWARK_DATABASE_URL="$BULWARK_TEST_PG_URL" reencrypt_test postgres "$BULWARK_TEST_PG_URL" --sslmode disable
fi
echo "db cli: ok"
