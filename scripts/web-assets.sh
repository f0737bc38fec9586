#!/usr/bin/env bash
# Install the web app's third-party front-end files from the npm registry (never from a CDN):
# `npm pack` fetches each pinned package and verifies it against the registry's integrity hash;
# its built file is copied into src/unveil/web/static/vendor/ (git-ignored).
# The list of packages lives in src/unveil/web/assets.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
VENDOR=src/unveil/web/static/vendor
mkdir -p "$VENDOR"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$PYTHON" -m unveil.web.assets | while read -r name package member; do
  [ -f "$VENDOR/$name" ] && continue
  command -v npm >/dev/null 2>&1 || { echo "npm is needed once to install $package (apt-get install npm)" >&2; exit 1; }
  echo "installing $package -> $VENDOR/$name"
  tarball="$(cd "$scratch" && npm pack --silent "$package" | tail -n 1)"
  tar -xzf "$scratch/$tarball" -C "$scratch" "$member"
  cp "$scratch/$member" "$VENDOR/$name.tmp"
  mv "$VENDOR/$name.tmp" "$VENDOR/$name"
done
