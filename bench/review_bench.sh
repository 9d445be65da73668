#!/usr/bin/env bash
# Throughput of `bulwark review` against bandit (Python) and flawfinder (C/C++)
# on large trees installed by Debian packages: the Django sources
# (python3-django) and system C/C++ headers. Prints a Markdown table with
# lines/s and peak RSS, bulwark with one job and with all cores.
#
#   bench/review_bench.sh [path/to/bulwark]
#
# Build bulwark optimized first (cmake --preset release-hardened && cmake
# --build --preset release-hardened); a Debug binary works but is slower.
set -euo pipefail
cd "$(dirname "$0")/.."
BULWARK=${1:-build/release-hardened/apps/bulwark/bulwark}
[ -x "$BULWARK" ] || { echo "bulwark binary not found: $BULWARK (pass its path)" >&2; exit 2; }
command -v bandit >/dev/null || { echo "bandit missing: run scripts/setup.sh" >&2; exit 2; }
command -v flawfinder >/dev/null || { echo "flawfinder missing: run scripts/setup.sh" >&2; exit 2; }
PY_TREE=/usr/lib/python3/dist-packages/django  # installed by python3-django
[ -d "$PY_TREE" ] || { echo "django sources missing: run scripts/setup.sh" >&2; exit 2; }
C_TREES=(/usr/include/openssl /usr/include/x86_64-linux-gnu /usr/include/linux /usr/include/c++/12)
JOBS=$(nproc)

# run LABEL TOOL... : wall seconds and peak RSS (MiB) of one command.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{wall:.2f} {rss:.0f}")
PY
}

count_lines() {  # DIR... EXT-REGEX
  local re=$1; shift
  find "$@" -type f -regextype posix-extended -regex "$re" -print0 | xargs -0 cat | wc -l
}

py_lines=$(count_lines '.*\.py' "$PY_TREE")
c_lines=$(count_lines '.*\.(h|hpp|hh|c|cc|cpp|tcc)' "${C_TREES[@]}")

row() {  # TOOL CORPUS LINES WALL RSS
  awk -v t="$1" -v c="$2" -v l="$3" -v w="$4" -v m="$5" \
    'BEGIN { printf "| %-28s | %-10s | %9d | %7.2f | %10.0f | %6s |\n", t, c, l, w, (w > 0 ? l / w : 0), m }'
}

echo "| tool                         | corpus     |     lines |  wall s |    lines/s | RSS MiB |"
echo "|------------------------------|------------|-----------|---------|------------|--------|"
read -r w m < <(measure bandit -r -q -f json "$PY_TREE")
row "bandit" "django" "$py_lines" "$w" "$m"
read -r w m < <(measure "$BULWARK" review --no-gitignore -j 1 --format json "$PY_TREE")
row "bulwark review -j1" "django" "$py_lines" "$w" "$m"
read -r w m < <(measure "$BULWARK" review --no-gitignore -j "$JOBS" --format json "$PY_TREE")
row "bulwark review -j$JOBS" "django" "$py_lines" "$w" "$m"
read -r w m < <(measure flawfinder --quiet --dataonly "${C_TREES[@]}")
row "flawfinder" "C/C++ hdrs" "$c_lines" "$w" "$m"
read -r w m < <(measure "$BULWARK" review --no-gitignore -j 1 --format json "${C_TREES[@]}")
row "bulwark review -j1" "C/C++ hdrs" "$c_lines" "$w" "$m"
read -r w m < <(measure "$BULWARK" review --no-gitignore -j "$JOBS" --format json "${C_TREES[@]}")
row "bulwark review -j$JOBS" "C/C++ hdrs" "$c_lines" "$w" "$m"
