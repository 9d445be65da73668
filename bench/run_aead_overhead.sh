#!/usr/bin/env bash
# AEAD wrapper overhead in instructions (valgrind callgrind), which a busy
# machine does not disturb: bulwark's Aead::Encrypt/Decrypt against the raw
# libsodium calls doing the same work (random nonce, output allocation).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 1; }
build=build/bench-crypto
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBULWARK_WERROR=ON \
  -DBULWARK_MODULES="core;crypto;secrets" -DBULWARK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target aead_overhead >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%-8s %-6s %14s %14s %7s\n' size op bulwark raw ratio
for size in 64 1024 65536; do
  valgrind --tool=callgrind --callgrind-out-file="$out" --dump-instr=no \
    "$build/bench/aead_overhead" "$size" >/dev/null 2>&1
  totals=$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null)
  ir() { echo "$totals" | grep -m1 -E "[^a-zA-Z_]$1\(" | awk '{gsub(",","",$1); print $1}'; }
  for op in Seal Open; do
    ours=$(ir "${op}Bulwark"); raw=$(ir "${op}Raw")
    printf '%-8s %-6s %14s %14s %7.3f\n' "$size" "$op" "$ours" "$raw" "$(echo "$ours / $raw" | bc -l)"
  done
done
