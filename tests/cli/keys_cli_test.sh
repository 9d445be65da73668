#!/usr/bin/env bash
# End-to-end test of `bulwark keys` and `bulwark hash-password` against the
# real binary: the happy paths and the refusals (wrong permissions, tampered
# or foreign keysets, bad arguments).
set -u
BULWARK=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass=0
check() {  # check NAME EXPECTED_RC CMD...
  local name=$1 expected=$2; shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "FAIL: $name (exit $rc, expected $expected)"; cat "$work/err"; failures=$((failures + 1))
  else
    pass=$((pass + 1))
  fi
}
contains() {  # contains NAME FILE TEXT
  if grep -q -- "$3" "$2"; then pass=$((pass + 1)); else
    echo "FAIL: $1: '$3' not in output"; cat "$2"; failures=$((failures + 1)); fi
}

check "generate-master" 0 "$BULWARK" keys generate-master --out "$work/master.key"
[ "$(stat -c %a "$work/master.key")" = 600 ] && pass=$((pass + 1)) || { echo "FAIL: master key mode"; failures=$((failures + 1)); }
check "generate-master refuses to overwrite" 2 "$BULWARK" keys generate-master --out "$work/master.key"
M="file:$work/master.key"
check "generate" 0 "$BULWARK" keys generate --type aead-xchacha20poly1305 --out "$work/ks" --master "$M"
contains "generate lists one primary" "$work/out" "yes"
check "generate refuses to overwrite" 2 "$BULWARK" keys generate --out "$work/ks" --master "$M"
check "rotate --stage" 0 "$BULWARK" keys rotate --file "$work/ks" --master "$M" --stage
check "list --json" 0 "$BULWARK" keys list --file "$work/ks" --master "$M" --json
keys=$(grep -o '"id":[0-9]*' "$work/out" | wc -l)
[ "$keys" = 2 ] && pass=$((pass + 1)) || { echo "FAIL: expected 2 keys, got $keys"; failures=$((failures + 1)); }
old=$(grep -o '"primary":[0-9]*' "$work/out" | cut -d: -f2)
new=$(grep -o '"id":[0-9]*' "$work/out" | cut -d: -f2 | grep -v "^$old$")
check "promote" 0 "$BULWARK" keys promote --file "$work/ks" --id "$new" --master "$M"
check "retire old" 0 "$BULWARK" keys retire --file "$work/ks" --id "$old" --master "$M"
check "retire primary refused" 2 "$BULWARK" keys retire --file "$work/ks" --id "$new" --master "$M"
check "destroy old" 0 "$BULWARK" keys destroy --file "$work/ks" --id "$old" --master "$M"
check "list after destroy" 0 "$BULWARK" keys list --file "$work/ks" --master "$M" --json
[ "$(grep -o '"id":' "$work/out" | wc -l)" = 1 ] && pass=$((pass + 1)) || { echo "FAIL: destroy"; failures=$((failures + 1)); }

# Master key from the environment; wrong master key refused distinctly.
key_text=$(cat "$work/master.key")
BULWARK_MASTER_KEY=$key_text check "env master" 0 "$BULWARK" keys list --file "$work/ks"
check "generate-master 2" 0 "$BULWARK" keys generate-master --out "$work/other.key"
check "wrong master refused" 2 "$BULWARK" keys list --file "$work/ks" --master "file:$work/other.key"
contains "wrong master is named" "$work/err" "different master key"
check "rotate-master" 0 "$BULWARK" keys rotate-master --master "$M" --new-master "file:$work/other.key" "$work/ks"
check "old master now refused" 2 "$BULWARK" keys list --file "$work/ks" --master "$M"
check "new master works" 0 "$BULWARK" keys list --file "$work/ks" --master "file:$work/other.key"

# Permissions: a world-readable master key is refused.
cp "$work/master.key" "$work/loose.key"; chmod 644 "$work/loose.key"
check "world-readable master refused" 2 "$BULWARK" keys list --file "$work/ks" --master "file:$work/loose.key"
contains "permission message" "$work/err" "group or others"
# Tampering: flip one character of the sealed keyset.
sed 's/.$/A/; s/A$/B/' "$work/ks" > "$work/ks2"; chmod 600 "$work/ks2"
if ! cmp -s "$work/ks" "$work/ks2"; then
  check "tampered keyset refused" 2 "$BULWARK" keys list --file "$work/ks2" --master "file:$work/other.key"
fi
check "no master configured" 2 env -u BULWARK_MASTER_KEY -u BULWARK_MASTER_KEY_FILE -u CREDENTIALS_DIRECTORY "$BULWARK" keys list --file "$work/ks"
check "bad key type" 2 "$BULWARK" keys generate --type rot13 --out "$work/x" --master "$M"
check "bad master spec" 2 "$BULWARK" keys list --file "$work/ks" --master "vault:x"

# hash-password: stdin, policy, errors.
echo "correct horse battery staple" | check "hash-password" 0 "$BULWARK" hash-password
contains "phc output" "$work/out" '^\$argon2id\$v=19\$m=19456,t=2,p=1\$'
echo "password" | check "policy refuses common" 2 "$BULWARK" hash-password --check-policy
printf '' | check "empty password refused" 2 "$BULWARK" hash-password
head -c 5000 /dev/zero | tr '\0' a | check "long password refused" 2 "$BULWARK" hash-password
echo "pw pw pw pw" | check "bad preset" 2 "$BULWARK" hash-password --preset weak
check "unknown command" 2 "$BULWARK" frobnicate
contains "unknown command named" "$work/err" "unknown command"
check "unknown option" 2 "$BULWARK" keys list --bogus
check "help" 0 "$BULWARK" --help

echo "$pass passed, $failures failed"
[ "$failures" -eq 0 ]
