#!/usr/bin/env bash
# Instructions per request for SecureDefaults() and for no middleware,
# counted by callgrind (repeatable on a loaded machine, unlike wrk).
#
#   bench/http/callgrind.sh [build dir, default build/http-bench] [N, default 2000]
#
# Each mode runs twice (N and 2N requests); the difference divided by N is
# the steady-state cost of one request, without start-up (key generation,
# router and chain construction). Prints instructions per request for
# App::Handle, for the raw socket path through RawExchangeForTest (parse +
# ServeRequest + serialize, plus that helper collecting all output in one
# growing string), and for `conn`, the server loop's own steps without the
# socket (the same minus the collecting), and the secure/bare ratio.
# Annotated profiles are left in $out (callgrind_annotate
# $out/secure-conn-2N.out).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${1:-$root/build/http-bench}
n=${2:-2000}
command -v valgrind >/dev/null || { echo "callgrind: valgrind is missing" >&2; exit 1; }
if [ ! -x "$build/src/http/http_handle_driver" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBULWARK_WERROR=OFF \
    -DBULWARK_BUILD_TESTS=OFF -DBULWARK_MODULES="core;crypto;validate;http" >/dev/null
fi
cmake --build "$build" --target http_handle_driver >/dev/null
driver=$build/src/http/http_handle_driver
out=${CALLGRIND_OUT:-$(mktemp -d /tmp/bulwark-http-callgrind.XXXXXX)}

total() {  # mode path count -> instructions
  local f="$out/$1-$2-$3.out"
  valgrind --tool=callgrind --callgrind-out-file="$f" "$driver" "$1" "$2" "$3" \
    >/dev/null 2>"$f.log"
  awk '/^summary:/ {print $2}' "$f"
}

declare -A per
for path in handle raw conn; do
  for mode in secure bare; do
    a=$(total "$mode" "$path" "$n")
    b=$(total "$mode" "$path" "$((2 * n))")
    per[$mode-$path]=$(( (b - a) / n ))
  done
done
echo "instructions per request (callgrind, N=$n; profiles in $out)"
printf '%-8s %14s %14s %8s\n' path secure bare a/b
for path in handle raw conn; do
  printf '%-8s %14s %14s %8s\n' "$path" "${per[secure-$path]}" "${per[bare-$path]}" \
    "$(awk -v a="${per[secure-$path]}" -v b="${per[bare-$path]}" 'BEGIN { printf "%.2f", b / a }')"
done
echo "(a/b here is bare/secure instructions: the throughput ratio if CPU-bound)"
