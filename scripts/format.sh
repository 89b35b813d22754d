#!/usr/bin/env bash
# Applies featscale's one C++ format (.clang-format) to every tracked source, or checks it.
#   scripts/format.sh           reformat in place
#   scripts/format.sh --check   list the files that differ and exit 1; exit 77 (skipped) without
#                               clang-format 14, whose output the format is defined by
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$CLANG_FORMAT" >/dev/null; then
  echo "format: $CLANG_FORMAT not found (Debian 12: apt install clang-format-14); not checked"
  exit 77
fi
mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null || find analysis app bench fuzz tests ui -name '*.cpp' -o -name '*.h')
if [ "${1:-}" != "--check" ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 32 -P "$(nproc)" "$CLANG_FORMAT" -i
  exit 0
fi
# --dry-run --Werror names each file that differs ("FILE:LINE:COL: error: code should be clang-formatted").
report=$(printf '%s\0' "${files[@]}" | xargs -0 -n 32 -P "$(nproc)" "$CLANG_FORMAT" --dry-run --Werror 2>&1 >/dev/null || true)
mapfile -t bad < <(grep -o '^[^:]*:[0-9]*:[0-9]*: error' <<<"$report" | cut -d: -f1 | sort -u)
if [ ${#bad[@]} -gt 0 ] || [ -n "$report" ]; then
  echo "format: ${#bad[@]} file(s) differ from .clang-format (run scripts/format.sh):"
  printf '  %s\n' "${bad[@]}"
  for f in "${bad[@]:0:3}"; do "$CLANG_FORMAT" "$f" | diff -u "$f" - | head -20 || true; done
  [ ${#bad[@]} -gt 0 ] || echo "$report" | head -20
  exit 1
fi
echo "format: ${#files[@]} files as .clang-format says"
