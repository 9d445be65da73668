#!/usr/bin/env bash
# Builds the release-hardened crypto benchmark, runs it, and prints each
# bulwark operation next to the raw libsodium/libc call it wraps, with the
# ratio (bulwark time / raw time; 1.00 = no overhead).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
# Its own release tree with just the foundation: quick to build.
build=build/bench-crypto
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBULWARK_WERROR=ON \
  -DBULWARK_MODULES="core;crypto;secrets" -DBULWARK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target crypto_bench >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Random interleaving spreads machine noise evenly over bulwark and raw runs.
"$build/bench/crypto_bench" --benchmark_format=json \
  --benchmark_repetitions="${REPS:-9}" --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time="${MIN_TIME:-0.2}" >"$out"
python3 - "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
rows = {}
for b in data["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"]
    rows[name] = b["real_time"] if b["time_unit"] == "ns" else b["real_time"] * {"us": 1e3, "ms": 1e6}[b["time_unit"]]
print(f"{'operation':34} {'bulwark':>12} {'raw':>12} {'ratio':>7}")
for name, t in rows.items():
    if "_Bulwark" not in name:
        continue
    raw_name = name.replace("_Bulwark", "_Raw")
    if raw_name not in rows:
        raw_name = name.replace("_Bulwark", "_Memcmp")
    raw = rows.get(raw_name)
    ratio = f"{t / raw:7.2f}" if raw else "      -"
    raw_s = f"{raw:10.0f}ns" if raw else "           -"
    print(f"{name.replace('BM_', ''):34} {t:10.0f}ns {raw_s} {ratio}")
for name, t in rows.items():
    if name.startswith("BM_Argon2id"):
        print(f"{name.replace('BM_', ''):34} {t / 1e6:10.1f}ms")
PY
