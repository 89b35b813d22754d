#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Debian package: build it with cpack, install it with dpkg, use it, remove it.

1. `cpack -G DEB` (the build's CPackConfig.cmake) into a temporary folder.
2. Its control fields: Depends names LibTorch, Qt 6, QCustomPlot, OpenCV, OpenBLAS and libcurl,
   every package it names exists in the package index, and Maintainer, Section, Description are set.
3. `dpkg -i`, then the installed /usr/bin/featscale-cli analyzes /usr/share/featscale/samples and
   /usr/bin/featscale opens them under Xvfb (xvfb-run; offscreen when it is missing), from a
   folder of their own with a fresh home.
4. `dpkg -r`: the package and every file it installed are gone.

Exit 77 (skipped, reason printed) without root, dpkg or cpack, or when a featscale package is
already installed here (this test would replace and then remove it).
"""
import argparse
import fcntl
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(__file__))
from installed import Failure, check_cli_on_samples, check_gui_on_samples, user_env  # noqa: E402

SKIP = 77
NEEDED = {'LibTorch': r'libtorch', 'Qt 6': r'libqt6widgets6', 'QCustomPlot': r'libqcustomplot[\w.-]*qt6',
          'OpenCV': r'libopencv-core', 'OpenBLAS': r'libopenblas0', 'libcurl': r'libcurl4'}


def installed_status():
    r = subprocess.run(['dpkg-query', '-W', '-f=${db:Status-Status}', 'featscale'], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ''


def dpkg(*args, timeout=300):
    """dpkg, waiting while another dpkg/apt holds its lock."""
    deadline = time.monotonic() + 180
    while True:
        r = subprocess.run(['dpkg', *args], capture_output=True, text=True, timeout=timeout,
                           env={**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'})
        if r.returncode != 0 and 'lock' in r.stderr and time.monotonic() < deadline:
            time.sleep(5)
            continue
        return r


def check_control(deb):
    fields = {}
    for f in ('Package', 'Version', 'Depends', 'Maintainer', 'Section', 'Description'):
        fields[f] = subprocess.run(['dpkg-deb', '-f', str(deb), f], capture_output=True, text=True,
                                   check=True).stdout.strip()
        if not fields[f]:
            raise Failure(f'{deb.name}: no {f} field')
    depends = fields['Depends']
    print(f'Depends: {depends}')
    for what, pattern in NEEDED.items():
        if not re.search(pattern, depends):
            raise Failure(f'Depends names no {what} package ({pattern}): {depends}')
    names = {re.split(r'[\s(]', alt.strip())[0] for group in depends.split(',') for alt in group.split('|')}
    unknown = [n for n in sorted(names)
               if subprocess.run(['apt-cache', 'show', n], capture_output=True).returncode != 0]
    if unknown:
        raise Failure(f'Depends names packages apt does not know: {unknown}')
    print(f'ok: {deb.name}: {len(names)} dependencies, all known to apt; {fields["Section"]}, {fields["Maintainer"]}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build-dir', required=True)
    ap.add_argument('--source-dir', required=True)
    a = ap.parse_args()
    if os.geteuid() != 0:
        print('SKIP: dpkg -i needs root')
        return SKIP
    for tool in ('dpkg', 'dpkg-deb', 'dpkg-query', 'cpack', 'apt-cache'):
        if not shutil.which(tool):
            print(f'SKIP: {tool} is missing')
            return SKIP
    # One featscale package test at a time on this machine (other build trees run this test too).
    lock = open('/tmp/featscale-install-deb.lock', 'w')
    fcntl.flock(lock, fcntl.LOCK_EX)
    status = installed_status()
    if status and status != 'not-installed':
        print(f'SKIP: a featscale package is already installed here ({status}); not replacing it')
        return SKIP

    tmp = pathlib.Path(tempfile.mkdtemp(prefix='featscale-deb-', dir='/tmp'))
    installed = False
    try:
        t0 = time.monotonic()
        r = subprocess.run(['cpack', '-G', 'DEB', '-B', str(tmp / 'pkg'),
                            '--config', str(pathlib.Path(a.build_dir, 'CPackConfig.cmake'))],
                           capture_output=True, text=True, timeout=600)
        debs = sorted((tmp / 'pkg').glob('featscale_*.deb'))
        if r.returncode != 0 or len(debs) != 1:
            raise Failure(f'cpack -G DEB failed ({r.returncode}):\n{r.stdout}{r.stderr}')
        deb = debs[0]
        print(f'ok: cpack -G DEB: {deb.name}, {deb.stat().st_size / 1e6:.1f} MB in {time.monotonic() - t0:.0f} s')
        check_control(deb)
        files = [line.split(None, 5)[-1].lstrip('.') for line in
                 subprocess.run(['dpkg-deb', '-c', str(deb)], capture_output=True, text=True, check=True)
                 .stdout.splitlines()]
        for f in ('/usr/bin/featscale', '/usr/bin/featscale-cli', '/usr/share/applications/featscale.desktop'):
            if f not in files:
                raise Failure(f'{deb.name} lacks {f}')

        installed = True
        r = dpkg('-i', str(deb))
        if r.returncode != 0:
            raise Failure(f'dpkg -i {deb.name} failed ({r.returncode}):\n{r.stdout}{r.stderr}')
        print(f'ok: dpkg -i {deb.name}')
        cwd = tmp / 'cwd'
        cwd.mkdir()
        env = user_env(tmp / 'home')
        check_cli_on_samples('/usr/bin/featscale-cli', '/usr/share/featscale/samples', tmp / 'run', env, cwd)
        display = 'xvfb' if shutil.which('xvfb-run') else 'offscreen'
        check_gui_on_samples('/usr/bin/featscale', tmp / 'shots', env, cwd, display=display)
    except Failure as e:
        print(f'FAIL: {e}')
        return 1
    finally:
        if installed:
            r = dpkg('-r', 'featscale')
            print(f'dpkg -r featscale: exit {r.returncode}' + (f'\n{r.stderr}' if r.returncode else ''))
        shutil.rmtree(tmp, ignore_errors=True)
    status = installed_status()
    left = [f for f in files if f.startswith('/usr/') and os.path.isfile(f)]
    if status not in ('', 'not-installed') or left:
        print(f'FAIL: after dpkg -r: status {status!r}, files left {left[:10]}')
        return 1
    print(f'ok: dpkg -r featscale: package and its {len([f for f in files if not f.endswith("/")])} files gone')
    return 0


if __name__ == '__main__':
    sys.exit(main())
