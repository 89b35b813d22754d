#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli speaks English whatever the locale: its help and its errors under a Chinese locale
contain no CJK characters (the GUI translates; the CLI's output is parsed by scripts and quoted in
bug reports). Usage: cli_english_test.py FEATSCALE_CLI"""
import os
import re
import subprocess
import sys

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def main():
    cli = sys.argv[1]
    env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8", LANGUAGE="zh_CN:zh")
    failures = 0
    for args in (["--help"], ["analyze", "--help"], ["weights", "--help"], ["analyze", "/nonexistent.jpg"]):
        run = subprocess.run([cli] + args, capture_output=True, env=env)
        text = (run.stdout + run.stderr).decode("utf-8", errors="replace")
        found = CJK.findall(text)
        print(f"featscale-cli {' '.join(args)}: exit {run.returncode}, {len(text)} characters, "
              f"{len(found)} CJK")
        if not text.strip() or found:
            print(text)
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
