#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# featscale benchmark: every figure of docs/PERFORMANCE.md in one run, then the table.
#
#   bash bench/run.sh [--build-time] [--skip-gui] [--skip-scale] [--no-doc]
#   env: BUILD (build dir, default build), ROUNDS (default 2), REPEAT (default 3),
#        WHOLE_ROUNDS (figure 8's alternating rounds, default 1),
#        FEATSCALE_PYTHON (default /usr/bin/python3: Debian's, with python3-torch)
#
# Figure 1 alternates the PyTorch process and the featscale process for ROUNDS rounds, so both
# see the same machine load; report.py takes the median of all timed runs of each side.
# Figure 7 (a clean build, ~15 min on 2 cores) runs only with --build-time; otherwise the table
# shows the figure recorded in bench/build_time.json, or a marked placeholder.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
PY=${FEATSCALE_PYTHON:-/usr/bin/python3}
ROUNDS=${ROUNDS:-2}
REPEAT=${REPEAT:-3}
BUILD_TIME=0 GUI=1 SCALE=1 DOC=1
for a in "$@"; do
  case "$a" in
    --build-time) BUILD_TIME=1 ;;
    --skip-gui) GUI=0 ;;
    --skip-scale) SCALE=0 ;;
    --no-doc) DOC=0 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

OUT="$BUILD/bench-out"
DATA="$BUILD/bench-data"
mkdir -p "$OUT" "$DATA"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
IMAGE="$ROOT/resources/samples/astronaut.jpg"
CORES=$(nproc)
log() { echo "bench: $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

targets=(featscale_bench featscale-cli)
if [ "$GUI" = 1 ] && grep -q '^FEATSCALE_BUILD_GUI:BOOL=ON' "$BUILD/CMakeCache.txt" 2>/dev/null; then
  targets+=(gui_gamma_bench gui_launch_bench)
fi
log "building ${targets[*]} in $BUILD"
cmake --build "$BUILD" -j"$CORES" --target "${targets[@]}" >/dev/null
BENCH="$BUILD/bench/featscale_bench"
CLI="$BUILD/app/featscale-cli"

LOAD_START=$(load1)
log "load average at start: $LOAD_START (on $CORES CPUs)"

# Weights both sides read: seeded, torchvision's initialisation, canonical names.
if [ ! -s "$DATA/vgg16.pth" ] || [ ! -s "$DATA/vgg16_reduced.pth" ]; then
  log "writing bench weights"
  "$PY" "$ROOT/bench/torch_reference.py" weights "$DATA" >&2
fi

# 1. forward + all statistics vs PyTorch eager forward; rounds alternate the two processes.
for round in $(seq 1 "$ROUNDS"); do
  log "figure 1, round $round/$ROUNDS: PyTorch eager"
  "$PY" "$ROOT/bench/torch_reference.py" forward --weights-dir "$DATA" --image "$IMAGE" \
    --repeat "$REPEAT" --threads "$CORES" >> "$RESULTS"
  log "figure 1, round $round/$ROUNDS: featscale"
  "$BENCH" engine --weights-dir "$DATA" --image "$IMAGE" --repeat "$REPEAT" >> "$RESULTS"
done

# 2. OpenCV DNN, same weights, to conv5_3 (both in one process, alternating).
log "figure 2: OpenCV DNN"
"$BENCH" opencv --weights-dir "$DATA" --image "$IMAGE" --sizes 300 --repeat "$REPEAT" --rounds "$ROUNDS" >> "$RESULTS"

# 3. sgemm in the same run.
log "figure 3: sgemm"
"$BENCH" sgemm --n 2048 --repeat 5 >> "$RESULTS" || log "WARNING: the BLAS in use is not OpenBLAS"

# 4. gamma latency.
log "figure 4: gamma latency"
"$BENCH" gamma --weights-dir "$DATA" --image "$IMAGE" --sizes 300,512 --repeat 200 >> "$RESULTS"

# 5. GUI (offscreen), when built.
if [ "$GUI" = 1 ] && [ -x "$BUILD/bench/gui_gamma_bench" ]; then
  log "figure 5: GUI gamma drag"
  cfg=$(mktemp -d)
  if g=$(XDG_CONFIG_HOME="$cfg" QT_QPA_PLATFORM=offscreen "$BUILD/bench/gui_gamma_bench" "$IMAGE" 300 2>/dev/null); then
    ups=$(sed -n 's/^updates\/s: \([0-9.]*\).*/\1/p' <<<"$g")
    detail=$(grep -m1 '^updates/s' <<<"$g" | sed 's/"/\\"/g')
    [ -n "$ups" ] && echo "{\"figure\": \"gui_gamma\", \"updates_per_s\": $ups, \"detail\": \"$detail\"}" >> "$RESULTS"
  else
    log "WARNING: gui_gamma_bench failed"
  fi
  log "figure 5: GUI launch to first results"
  XDG_CONFIG_HOME="$cfg" QT_QPA_PLATFORM=offscreen "$BUILD/bench/gui_launch_bench" 2>/dev/null >> "$RESULTS" \
    || log "WARNING: gui_launch_bench failed"
  rm -rf "$cfg"
fi

# 6. Scale: generated folders of 100 and 500 images through the CLI; peak RSS from GNU time.
if [ "$SCALE" = 1 ]; then
  for n in 100 500; do
    "$BENCH" images --out "$DATA/images$n" --count "$n" --width 640 --height 480 >/dev/null
    log "figure 6: CLI on $n images"
    rm -rf "$OUT/cli$n"
    /usr/bin/time -v "$CLI" analyze "$DATA/images$n" --out "$OUT/cli$n" --quiet >/dev/null 2>"$OUT/time$n.txt" || {
      log "WARNING: CLI run on $n images failed (see $OUT/time$n.txt)"; continue; }
    "$PY" "$ROOT/bench/time_json.py" "$OUT/time$n.txt" figure=cli_scale images="$n" width=640 height=480 \
      >> "$RESULTS"
  done
fi

# 8. Whole processes, timed from outside: featscale-cli analyze over 100 images against a PyTorch
# script doing the same forward passes (decode, resize, forward; no statistics), same weights,
# same threads. Startup, weight loading and the first image's one-off costs are included.
if [ "$SCALE" = 1 ] && [ -d "$DATA/images100" ]; then
  for round in $(seq 1 "${WHOLE_ROUNDS:-1}"); do
    log "figure 8, round $round: featscale-cli analyze, 100 images"
    rm -rf "$OUT/whole100"
    if /usr/bin/time -v "$CLI" analyze "$DATA/images100" --weights "$DATA/vgg16_reduced.pth" --arch vgg16-reduced \
        --preset caffe --threads "$CORES" --out "$OUT/whole100" --quiet >/dev/null 2>"$OUT/whole_featscale.txt"; then
      "$PY" "$ROOT/bench/time_json.py" "$OUT/whole_featscale.txt" figure=whole_process side=featscale images=100 \
        >> "$RESULTS"
    else
      log "WARNING: featscale-cli on 100 images failed (see $OUT/whole_featscale.txt)"
    fi
    log "figure 8, round $round: PyTorch script, 100 images"
    if /usr/bin/time -v "$PY" "$ROOT/bench/torch_reference.py" folder --weights-dir "$DATA" --images "$DATA/images100" \
        --arch vgg16-reduced --size 300 --threads "$CORES" >/dev/null 2>"$OUT/whole_torch.txt"; then
      "$PY" "$ROOT/bench/time_json.py" "$OUT/whole_torch.txt" figure=whole_process side=pytorch images=100 >> "$RESULTS"
    else
      log "WARNING: the PyTorch script on 100 images failed (see $OUT/whole_torch.txt)"
    fi
  done
fi

# 7. Clean build time: a fresh build directory, ccache off, 2 jobs.
if [ "$BUILD_TIME" = 1 ]; then
  log "figure 7: clean build (this takes a while)"
  bdir="$BUILD/bench-cleanbuild"
  rm -rf "$bdir"
  CCACHE_DISABLE=1 cmake -S "$ROOT" -B "$bdir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  t0=$(date +%s.%N)
  CCACHE_DISABLE=1 cmake --build "$bdir" -j2 >/dev/null
  t1=$(date +%s.%N)
  echo "{\"figure\": \"build_time\", \"seconds\": $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'), \"command\": \"cmake --build -j2 (Release, all targets)\"}" >> "$RESULTS"
  rm -rf "$bdir"
fi

LOAD_END=$(load1)
TORCH_VERSION=$("$PY" -c 'import torch; print(torch.__version__)')
OPENCV_VERSION=$(pkg-config --modversion opencv4 2>/dev/null || echo "?")
echo "{\"figure\": \"environment\", \"date\": \"$(date -u +%Y-%m-%d)\", \"threads\": $CORES, \"torch\": \"$TORCH_VERSION\", \"opencv\": \"$OPENCV_VERSION\", \"load_start\": $LOAD_START, \"load_end\": $LOAD_END}" >> "$RESULTS"

args=("$RESULTS")
[ -f "$ROOT/bench/baseline.jsonl" ] && args+=(--baseline "$ROOT/bench/baseline.jsonl")
[ -f "$ROOT/bench/notes.md" ] && args+=(--notes "$ROOT/bench/notes.md")
[ -f "$ROOT/bench/remeasured.jsonl" ] && args+=(--remeasured "$ROOT/bench/remeasured.jsonl")
[ "$DOC" = 1 ] && args+=(--doc "$ROOT/docs/PERFORMANCE.md")
"$PY" "$ROOT/bench/report.py" "${args[@]}"
# the report's data, kept with it so it can be regenerated and checked
[ "$DOC" = 1 ] && cp "$RESULTS" "$ROOT/docs/PERFORMANCE.jsonl"
