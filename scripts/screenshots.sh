#!/usr/bin/env bash
# Renders the GUI's main views into docs/screenshots/*.png under a virtual X display.
# Usage: scripts/screenshots.sh [build-dir]   (default: $BUILD or ./build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-${BUILD:-$root/build}}"
app="$build/app/featscale"
out="$root/docs/screenshots"
if [ ! -x "$app" ]; then
  echo "screenshots: $app not found; build first (make build)" >&2
  exit 1
fi
if ! command -v xvfb-run >/dev/null; then
  echo "screenshots: xvfb-run is missing (apt-get install xvfb)" >&2
  exit 1
fi
mkdir -p "$out"
# A throw-away settings file: screenshots must not depend on (or change) the user's window layout.
export XDG_CONFIG_HOME="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
xvfb-run -a -s "-screen 0 1920x1200x24" "$app" --screenshots "$out"
echo "screenshots written to $out"
