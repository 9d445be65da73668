#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds a consumer
# project against it twice: with find_package(bulwark) and with pkg-config.
set -euo pipefail
build_dir=$1; source_dir=$2; cxx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/bulwark/core/secret.h"
test -f "$work/prefix/lib/cmake/bulwark/bulwarkConfig.cmake"
test -x "$work/prefix/bin/bulwark"

# Link every installed module, so a missing dependency in bulwarkConfig.cmake
# or bulwark.pc shows up here.
modules=$(sed -n 's/^add_library(bulwark::\([a-z_]*\) STATIC IMPORTED)$/bulwark::\1/p' \
  "$work"/prefix/lib/cmake/bulwark/bulwarkTargets.cmake | tr '\n' ';')
cmake -S "$source_dir/tests/install/consumer" -B "$work/cmake-build" -G Ninja \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DBULWARK_CONSUMER_MODULES="$modules"
cmake --build "$work/cmake-build"
"$work/cmake-build/consumer"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
"$cxx" -o "$work/pc-consumer" "$source_dir/tests/install/consumer/consumer.cc" \
  $(pkg-config --cflags bulwark) $(pkg-config --libs bulwark)
"$work/pc-consumer"
echo "install: find_package and pkg-config consumers built and ran"
