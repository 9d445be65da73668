#!/usr/bin/env bash
# Sets up, builds and runs bulwark's main job: `bulwark serve` on its embedded
# SQLite default. Extra arguments go to `bulwark serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release-hardened >/dev/null
cmake --build --preset release-hardened --target bulwark
bin=build/release-hardened/apps/bulwark/bulwark
if "$bin" --help | grep -qE '^ +serve'; then
  exec "$bin" serve "$@"
fi
# Until the account service exists, show what the CLI offers.
exec "$bin" --help
