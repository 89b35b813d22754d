#!/usr/bin/env bash
# Updates translations/featscale_*.ts from the GUI's sources (ui/, app/main_gui.cpp) with lupdate:
# new texts appear as unfinished, texts gone from the sources are dropped (-no-obsolete). Translate the
# unfinished ones (Qt Linguist: `linguist translations/featscale_zh_CN.ts`), then build: lrelease
# makes the .qm files. The test translations_complete fails while any text is untranslated.
# Usage: scripts/update-translations.sh [TS_FILE...]   (default: every translations/featscale_*.ts)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lupdate="${LUPDATE:-}"
if [ -z "$lupdate" ]; then
  for c in /usr/lib/qt6/bin/lupdate "$(command -v lupdate6 || true)" "$(command -v lupdate || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then lupdate="$c"; break; fi
  done
fi
if [ -z "$lupdate" ]; then
  echo "update-translations: lupdate not found (apt-get install qt6-l10n-tools)" >&2
  exit 1
fi
ts=()
for f in "$@"; do ts+=("$(realpath -m "$f")"); done
if [ ${#ts[@]} -eq 0 ]; then
  ts=("$root"/translations/featscale_*.ts)
fi
cd "$root"
# -I .: headers are included as "ui/...", and lupdate needs them to name each class with its
# namespace (featscale::ui::MainWindow), the context tr() uses at run time.
exec "$lupdate" -silent -I . -no-obsolete -locations relative ui app/main_gui.cpp -ts "${ts[@]}"
