#!/usr/bin/env bash
# Renders the GUI's main views into docs/screenshots/*.png under a virtual X display, with the window
# filling screens of 1280×720, 1366×768, 1600×1000, 1920×1080 and 2560×1440 (main-WxH.png each; the
# other views at 1600×1000).
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
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A throw-away settings file per run: screenshots must not depend on (or change) the user's layout.
shoot() { # size dir [env...]
  local size="$1" dir="$2"
  shift 2
  env XDG_CONFIG_HOME="$(mktemp -d -p "$work")" "$@" \
    xvfb-run -a -s "-screen 0 ${size}x24" "$app" --screenshots "$dir"
}
for size in 1280x720 1366x768 1600x1000 1920x1080 2560x1440; do
  shoot "$size" "$work/$size"
  [ "$size" = 1600x1000 ] || cp "$work/$size/main.png" "$out/main-$size.png" # main.png is 1600x1000
done
for f in main tab-layer-scales tab-parsenet-concat image-after help; do
  cp "$work/1600x1000/$f.png" "$out/$f.png"
done
# The main window once more in Simplified Chinese (the system locale decides the GUI language).
shoot 1600x1000 "$work/zh" LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN:zh
cp "$work/zh/main.png" "$out/zh_CN-1600x1000.png"
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
