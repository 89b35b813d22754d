# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a program under an optional address-space cap and a time limit, and measures what that
one process cost (its own peak RSS, not the largest of all children the test started)."""
import os
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Measured:
    code: int          # exit code; -N when killed by signal N
    out: str
    err: str
    seconds: float
    rss_mb: float      # peak resident set of the process
    timed_out: bool


def measured_run(argv, cap_bytes=None, timeout=120, cwd=None, env=None):
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))
    argv = [a if isinstance(a, bytes) else os.fsencode(a) for a in argv]
    t0 = time.monotonic()
    timed_out = False
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=env,
                             preexec_fn=limits if cap_bytes else None)
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > timeout:
                p.kill()
                _, status, usage = os.wait4(p.pid, 0)
                timed_out = True
                break
            time.sleep(0.02)
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Measured(p.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                        time.monotonic() - t0, usage.ru_maxrss / 1024, timed_out)
