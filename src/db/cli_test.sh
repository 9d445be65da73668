#!/usr/bin/env bash
# End-to-end test of `bulwark db` on SQLite (and PostgreSQL when
# BULWARK_TEST_PG_URL is set): migrate, verify, backup, tampered restore
# refused, restore, argv password refused. (`bulwark db reencrypt` is a thin
# wrapper over db::ReencryptColumn, which db_test covers; it has no test here.)
set -euo pipefail
bin="$1"
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
fi
echo "db cli: ok"
