#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The featscale binary's command line: --help and --version answer without any display (no
DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM), and featscale's options reach featscale, not Qt
(QGuiApplication takes "-session" as its own): a --session without its value is named by
featscale's parser.

    gui_command_line_test.py FEATSCALE
"""
import os
import subprocess
import sys

featscale = sys.argv[1]
failures = []


def run(args, display):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = os.environ.get("TMPDIR", "/tmp")
    env["XDG_CONFIG_HOME"] = os.path.join(env["HOME"], "gui-command-line-config")
    if display:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([featscale] + args, env=env, capture_output=True, text=True, timeout=120)


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        failures.append(name)


for opt in ("--help", "-h", "--help-all"):
    p = run([opt], display=False)
    check(f"{opt} without a display", p.returncode == 0 and "--session" in p.stdout and "--weights" in p.stdout,
          f"exit {p.returncode}, stdout {p.stdout[:200]!r}, stderr {p.stderr[-300:]!r}")
for opt in ("--version", "-v"):
    p = run([opt], display=False)
    check(f"{opt} without a display", p.returncode == 0 and p.stdout.startswith("featscale "),
          f"exit {p.returncode}, stdout {p.stdout[:200]!r}, stderr {p.stderr[-300:]!r}")
p = run(["-session", "x.featscale.json", "--help"], display=False)
check("--help after -session FILE", p.returncode == 0 and "--session" in p.stdout, f"exit {p.returncode} {p.stderr[-300:]!r}")
for spelling in ("--session", "-session"):
    p = run([spelling], display=True)
    check(f"{spelling} without a value is featscale's error", p.returncode != 0 and "session" in p.stderr,
          f"exit {p.returncode}, stderr {p.stderr[-300:]!r}")

print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
