#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every translation catalogue is complete and up to date with the GUI's sources.

Fails on: unfinished, obsolete or vanished messages; empty translations; placeholders (%1, %L1, %n)
or HTML tags that differ between a source text and its translation; a menu accelerator (&F) lost in
translation; and any message lupdate would add or drop when run over today's sources (a new tr()
text without a translation, or a stale one), by running scripts/update-translations.sh on a copy.

Usage: translations_complete_test.py SOURCE_DIR
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLACEHOLDER = re.compile(r"%L?(\d+|n)")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
ACCELERATOR = re.compile(r"&(?!amp;|nbsp;|lt;|gt;)[^\s&]")


def messages(path):
    """(context, source, message element) for every message of a .ts file."""
    root = ET.parse(path).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name")
        for m in ctx.iter("message"):
            yield name, m.findtext("source"), m


def translations_of(m):
    t = m.find("translation")
    if t is None:
        return []
    if m.get("numerus") == "yes":
        return [nf.text or "" for nf in t.iter("numerusform")]
    return [t.text or ""]


def check_messages(path):
    problems = []
    for ctx, src, m in messages(path):
        where = f"{path.name}: [{ctx}] {src[:70]!r}"
        t = m.find("translation")
        kind = t.get("type") if t is not None else "missing"
        if kind in ("unfinished", "obsolete", "vanished", "missing"):
            problems.append(f"{where}: {kind}")
            continue
        forms = translations_of(m)
        if not forms or any(not f.strip() for f in forms):
            problems.append(f"{where}: empty translation")
            continue
        for f in forms:
            if sorted(set(PLACEHOLDER.findall(src))) != sorted(set(PLACEHOLDER.findall(f))):
                problems.append(f"{where}: placeholders {sorted(set(PLACEHOLDER.findall(src)))} "
                                f"became {sorted(set(PLACEHOLDER.findall(f)))}")
            if sorted(TAG.findall(src)) != sorted(TAG.findall(f)):
                problems.append(f"{where}: HTML tags differ in the translation {f[:70]!r}")
            if "<" not in src and ACCELERATOR.search(src) and not ACCELERATOR.search(f):
                problems.append(f"{where}: the accelerator is lost in {f!r}")
    return problems


def check_up_to_date(source_dir, path):
    """Runs lupdate over the sources into a copy; the copy must gain and lose nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / path.name
        shutil.copy(path, copy)
        run = subprocess.run([str(source_dir / "scripts" / "update-translations.sh"), str(copy)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            return [f"lupdate failed ({run.returncode}): {run.stderr.strip()}"]
        before = {(c, s) for c, s, _ in messages(path)}
        after = {(c, s) for c, s, _ in messages(copy)}
        problems = [f"{path.name}: new in the sources, not in the catalogue: [{c}] {s[:70]!r}"
                    for c, s in sorted(after - before)]
        problems += [f"{path.name}: gone from the sources, still in the catalogue: [{c}] {s[:70]!r}"
                     for c, s in sorted(before - after)]
        problems += [p for p in check_messages(copy) if "unfinished" in p]
        return problems


def main():
    source_dir = pathlib.Path(sys.argv[1]).resolve()
    catalogues = sorted((source_dir / "translations").glob("featscale_*.ts"))
    if not catalogues:
        print("no translations/featscale_*.ts found")
        return 1
    problems = []
    for path in catalogues:
        count = sum(1 for _ in messages(path))
        print(f"{path.name}: {count} messages")
        problems += check_messages(path)
        problems += check_up_to_date(source_dir, path)
    for p in problems:
        print("FAIL", p)
    if problems:
        print(f"{len(problems)} problem(s); after changing GUI texts run scripts/update-translations.sh "
              "and translate what it marks unfinished")
        return 1
    print("all catalogues complete and up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
