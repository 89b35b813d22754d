#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/CMakeLists.txt, clang-14) in build-fuzz and runs each on its
# seed corpus fuzz/corpus/<target>/, sharing one time budget.
#   fuzz/run.sh [TOTAL_SECONDS]     `make test` passes 60, `make fuzz` 600.
# New inputs go to build-fuzz/corpus/<target>/ (the committed seeds are only read). A crash, leak,
# sanitizer report or timeout fails the script; the reproducer is left as
# build-fuzz/artifacts/<target>-crash-<sha1>: fix the bug, then copy it into the seed corpus.
# Per-target executions and findings are appended to build-fuzz/fuzz-results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-60}
build=${FUZZ_BUILD:-build-fuzz}
# clang 14 on Debian 12, clang 19 on Debian 13 (scripts/install-deps.sh installs the release's one).
cxx=${FUZZ_CXX:-}
if [ -z "$cxx" ]; then
  for c in clang++-14 clang++-19; do command -v "$c" >/dev/null && { cxx=$c; break; }; done
fi
[ -n "$cxx" ] && command -v "$cxx" >/dev/null ||
  { echo "fuzz: no clang++ (clang++-14 or clang++-19; make deps installs it)" >&2; exit 1; }

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O1 with line tables only: readable sanitizer stacks at a fraction of RelWithDebInfo's build
# time, which counts against the `make test` budget on CI's two cores.
cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }

mapfile -t targets < <(sed -n 's/^ *featscale_fuzzer(\([A-Za-z0-9_]*\).*/\1/p' fuzz/CMakeLists.txt)
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets in fuzz/CMakeLists.txt" >&2; exit 1; }
per=$(( total / ${#targets[@]} ))
[ "$per" -ge 5 ] || per=5

status=0
mkdir -p "$build/artifacts"
for t in "${targets[@]}"; do
  if [ ! -x "$build/$t" ]; then echo "fuzz: $t not built here (optional dependency missing); skipped"; continue; fi
  seeds="fuzz/corpus/$t"
  work="$build/corpus/$t"
  mkdir -p "$work" "$seeds"
  log="$build/$t.log"
  set +e
  # -rss_limit_mb / -malloc_limit_mb: a loader that allocates what a hostile header claims fails here
  "$build/$t" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -print_final_stats=1 -close_fd_mask=3 -artifact_prefix="$build/artifacts/$t-" \
    "$work" "$seeds" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  line="$(date -u +%FT%TZ) $t: ${execs:-?} execs in ${per} s, ${cov:-cov: ?}, corpus $(ls "$work" | wc -l) new + $(ls "$seeds" | wc -l) seeds"
  if [ $rc -ne 0 ]; then
    line="$line, FAILED (exit $rc; see $log and $build/artifacts/)"
    status=1
    grep -m5 -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" >&2 || true
  else
    line="$line, no crashes"
  fi
  echo "fuzz: $line"
  echo "$line" >>"$build/fuzz-results.txt"
done
exit $status
