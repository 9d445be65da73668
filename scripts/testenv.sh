# Starts the services the tests use and exports where they are. Each
# scripts/testenv/<name>.sh is sourced by testenv_start; it starts one service
# on a private port in a temporary directory, exports its address in a
# BULWARK_TEST_* variable, and appends its stop command to TESTENV_CLEANUP.
TESTENV_CLEANUP=()
TESTENV_DIR=""

testenv_start() {
  TESTENV_DIR=$(mktemp -d /tmp/bulwark-testenv.XXXXXX)
  chmod 755 "$TESTENV_DIR"
  export TESTENV_DIR
  local f
  for f in scripts/testenv/*.sh; do
    [ -e "$f" ] || continue
    # shellcheck disable=SC1090
    source "$f"
  done
}

testenv_stop() {
  local i
  for ((i = ${#TESTENV_CLEANUP[@]} - 1; i >= 0; i--)); do
    eval "${TESTENV_CLEANUP[$i]}" >/dev/null 2>&1 || true
  done
  [ -n "$TESTENV_DIR" ] && rm -rf "$TESTENV_DIR"
  return 0
}
