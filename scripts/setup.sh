#!/usr/bin/env bash
# Installs everything bulwark needs on Debian 12, and nothing that is already
# there. Debian packages are listed in scripts/packages/*.txt; directories
# whose package-lock.json must be installed with `npm ci` in *.npm there.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

wanted=$(sed 's/#.*//' scripts/packages/*.txt | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=()
for pkg in $wanted; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
# npm comes with some Node.js builds; install Debian's only when there is none.
if ls scripts/packages/*.npm >/dev/null 2>&1; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for list in scripts/packages/*.npm; do
  [ -e "$list" ] || continue
  for dir in $(sed 's/#.*//' "$list"); do
    stamp="$dir/node_modules/.bulwark-lock"
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
      echo "setup: npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
      cp "$dir/package-lock.json" "$stamp"
    fi
  done
done
echo "setup: all dependencies present"
