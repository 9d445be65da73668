#!/usr/bin/env bash
# Sets up, builds and runs every test: the dev build (unit, compile-fail,
# conformance, integration, fuzz replay, install), then the ASan+UBSan build
# of the same tests. Test services (PostgreSQL, Redis, ...) are started by
# scripts/testenv.sh and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# shellcheck source=testenv.sh
source scripts/testenv.sh
trap testenv_stop EXIT
testenv_start

status=0
for preset in dev asan-ubsan; do
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test"
  ctest --preset "$preset" || status=1
done
exit $status
