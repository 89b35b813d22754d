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
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --screenshots "$out"
# The main window once more in Simplified Chinese (the system locale decides the GUI language).
zh="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME" "$zh"' EXIT
LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN:zh \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --screenshots "$zh"
cp "$zh/main.png" "$out/zh_CN-1600x1000.png"
echo "screenshots written to $out"
# Palette PNGs are a third of the size and look the same at screenshot scale (optional: Pillow).
if /usr/bin/python3 -c "import PIL" 2>/dev/null; then
  /usr/bin/python3 - "$out" <<'PY'
import pathlib, sys
from PIL import Image
for p in pathlib.Path(sys.argv[1]).glob("*.png"):
    Image.open(p).convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(p, optimize=True)
PY
fi
