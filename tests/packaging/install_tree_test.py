#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`cmake --install` into a temporary prefix, moved elsewhere, used as a user would.

1. Installs into TMP/a and renames it TMP/b: whatever the programs find, they find relative to
   themselves.
2. The layout the issue names (GNUInstallDirs): bin/, share/featscale/samples, the desktop entry,
   hicolor icons (SVG and PNGs of the sizes they claim), AppStream metainfo, man pages, bash
   completion, docs.
3. No installed file holds the source or build folder's path, and no RPATH/RUNPATH points into
   either.
4. Run as root, the programs run in a private mount namespace where empty tmpfs mounts hide the
   source and build folders; otherwise (reported) they run with those folders present, and 3 is
   what guarantees they are not used. Either way from a folder of their own, with a fresh home
   and no FEATSCALE_* variables: featscale-cli analyzes the installed samples, and featscale
   (offscreen) opens them, runs them and renders its views.
5. desktop-file-validate and appstreamcli validate --no-net --pedantic pass on the installed files,
   and the metainfo's newest release is the project's version.
6. The man pages name every command; featscale-cli.1 holds every command's help.
7. Bash completion offers, for every command, every option its --help documents,
   and featscale-cli accepts every option the completion offers.
"""
import argparse
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(__file__))
from installed import Failure, check_cli_on_samples, check_gui_on_samples, run, user_env  # noqa: E402

ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def png_size(path):
    data = pathlib.Path(path).read_bytes()[:24]
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise Failure(f'{path} is not a PNG')
    return struct.unpack('>II', data[16:24])


def check_layout(root, app_id):
    expected = ['bin/featscale', 'bin/featscale-cli', 'share/featscale/samples/LICENSE',
                'share/applications/featscale.desktop', 'share/icons/hicolor/scalable/apps/featscale.svg',
                f'share/metainfo/{app_id}.metainfo.xml', 'share/man/man1/featscale.1',
                'share/man/man1/featscale-cli.1', 'share/bash-completion/completions/featscale-cli',
                'share/doc/featscale/LICENSE', 'share/doc/featscale/README.md',
                'share/featscale/translations/featscale_zh_CN.qm']
    expected += [f'share/icons/hicolor/{s}x{s}/apps/featscale.png' for s in ICON_SIZES]
    missing = [e for e in expected if not (root / e).is_file()]
    if missing:
        raise Failure(f'not installed: {missing}')
    for s in ICON_SIZES:
        got = png_size(root / f'share/icons/hicolor/{s}x{s}/apps/featscale.png')
        if got != (s, s):
            raise Failure(f'{s}x{s}/apps/featscale.png is {got[0]}x{got[1]}')
    links = [str(p) for p in root.rglob('*') if p.is_symlink()]
    if links:
        raise Failure(f'symlinks in the installed tree (they would point back): {links}')
    for exe in ('bin/featscale', 'bin/featscale-cli'):
        if not os.access(root / exe, os.X_OK):
            raise Failure(f'{exe} is not executable')
    print(f'ok: layout ({len(expected)} files, icons {ICON_SIZES})')


def check_no_build_paths(root, source_dir, build_dir):
    needles = {os.path.realpath(d).encode() for d in (source_dir, build_dir)}
    needles |= {os.path.abspath(d).encode() for d in (source_dir, build_dir)}
    for path in root.rglob('*'):
        if path.is_file():
            data = path.read_bytes()
            for n in needles:
                if n in data:
                    i = data.index(n)
                    raise Failure(f'{path.relative_to(root)} holds the path {n.decode()}: '
                                  f'...{data[max(0, i - 40):i + len(n) + 40]!r}...')
    for exe in ('bin/featscale', 'bin/featscale-cli'):
        dyn = subprocess.run(['readelf', '-d', str(root / exe)], capture_output=True, text=True, check=True).stdout
        for line in dyn.splitlines():
            if 'RPATH' in line or 'RUNPATH' in line:
                if any(n.decode() in line for n in needles):
                    raise Failure(f'{exe}: {line.strip()}')
    print(f'ok: no installed file names {sorted(n.decode() for n in needles)}')


def hiding_wrapper(source_dir, build_dir):
    """A command prefix that runs a program with source_dir and build_dir hidden under empty
    tmpfs mounts in a private mount namespace, or None with the reason it is unavailable."""
    if os.geteuid() != 0:
        return None, 'not root'
    unshare = shutil.which('unshare')
    if not unshare:
        return None, 'unshare (util-linux) missing'
    dirs = [os.path.realpath(d) for d in (build_dir, source_dir)]
    wrap_script = ('for d in %s; do [ -d "$d" ] && { mount -t tmpfs -o size=1m featscale-hidden "$d" || exit 97; }; '
                   'done; exec "$@"' % ' '.join(f"'{d}'" for d in dirs))
    wrap = [unshare, '--mount', '--propagation', 'private', 'sh', '-c', wrap_script, 'sh']
    probe = subprocess.run([*wrap, 'sh', '-c', f'ls -A "{dirs[-1]}"'], capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip():
        return None, f'mount namespace unavailable ({probe.returncode}: {probe.stderr.strip()})'
    return wrap, None


def check_validators(root, app_id, version):
    desktop = root / 'share/applications/featscale.desktop'
    r = subprocess.run(['desktop-file-validate', str(desktop)], capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
        raise Failure(f'desktop-file-validate {desktop}:\n{r.stdout}{r.stderr}')
    metainfo = root / f'share/metainfo/{app_id}.metainfo.xml'
    r = subprocess.run(['appstreamcli', 'validate', '--no-net', '--pedantic', str(metainfo)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f'appstreamcli validate {metainfo}:\n{r.stdout}{r.stderr}')
    tree = ET.parse(metainfo).getroot()
    newest = tree.find('releases/release').get('version')
    if newest != version:
        raise Failure(f'{metainfo.name}: newest release is {newest}, the project is {version} (add a <release>)')
    if tree.find('launchable').text != 'featscale.desktop':
        raise Failure(f'{metainfo.name}: launchable is not featscale.desktop')
    print('ok: desktop-file-validate, appstreamcli validate --pedantic; metainfo release', newest)


def help_options(text):
    """The options a command's help documents: every --name in its usage lines (up to the first
    blank line) and every --name that starts a line or follows ' / ' on such a line; not those
    mentioned in prose (\"typically its --shard I/N parts\")."""
    usage, _, rest = text.partition('\n\n')
    found = set(re.findall(r'--[a-z0-9][a-z0-9-]*', usage)) | {'--help'}
    for line in rest.splitlines():
        if line.lstrip().startswith('--'):
            found |= set(re.findall(r'(?:^\s*|\s/\s)(--[a-z0-9][a-z0-9-]*)', line))
    return found


def completions(completion_file, words):
    """What bash completion offers after `featscale-cli WORDS...` (the last word being completed)."""
    script = ('source "$1"; shift; COMP_WORDS=(featscale-cli "$@"); COMP_CWORD=$#; '
              '_featscale_cli; printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run(['bash', '-c', script, 'bash', str(completion_file), *words],
                       capture_output=True, text=True, check=True)
    return set(r.stdout.split())


def check_accepted(cli, command, options, env, cwd):
    """featscale-cli COMMAND accepts every option given: all at once with --help (which stops it
    before any work), each as --name=1, and as a bare --name once it says it takes no value."""
    flags = set()
    for _ in range(len(options) + 1):
        args = [o if o in flags else f'{o}=1' for o in options]
        r = run([cli, command, '--help', *args], env, cwd, 30)
        m = re.search(r'(--[a-z0-9-]+) takes no value', r.stderr)
        if m and m.group(1) not in flags:
            flags.add(m.group(1))
            continue
        if r.returncode != 0:
            raise Failure(f'featscale-cli {command} rejects an option its completion offers: {r.stderr.strip()}')
        return
    raise Failure(f'featscale-cli {command}: could not pass {options}')


def check_man_and_completion(root, cli, env, cwd):
    top = run([cli, '--help'], env, cwd, 30).stdout
    commands = re.findall(r'^  ([a-z][a-z0-9-]*)\s', top.split('Commands:', 1)[1].split('\n\n', 1)[0], re.M)
    if len(commands) < 5:
        raise Failure(f'commands parsed from featscale-cli --help: {commands}')
    man_cli = (root / 'share/man/man1/featscale-cli.1').read_text()
    man_gui = (root / 'share/man/man1/featscale.1').read_text()
    for c in commands:
        if f'.SS "{c}"' not in man_cli:
            raise Failure(f'featscale-cli.1 has no section for {c}')
    for opt in ('\\-\\-screenshots', '\\-\\-weights', '\\-\\-session'):
        if opt not in man_gui:
            raise Failure(f'featscale.1 does not document {opt}')
    completion = root / 'share/bash-completion/completions/featscale-cli'
    offered_commands = completions(completion, [''])
    if set(commands) - offered_commands:
        raise Failure(f'completion does not offer the commands {sorted(set(commands) - offered_commands)}')
    for c in commands:
        text = run([cli, c, '--help'], env, cwd, 30).stdout
        wanted = help_options(text)
        if c not in man_cli or any(o.replace('-', '\\-') not in man_cli for o in wanted):
            raise Failure(f'featscale-cli.1 lacks options of {c}: '
                          f'{sorted(o for o in wanted if o.replace("-", chr(92) + "-") not in man_cli)}')
        offered = completions(completion, [c, '--'])
        if wanted - offered:
            raise Failure(f'completion of `featscale-cli {c} --` lacks {sorted(wanted - offered)} '
                          f'(its --help names them)')
        check_accepted(cli, c, sorted(offered - {'--help'}), env, cwd)
        print(f'ok: {c}: {len(wanted)} options in --help, man page and completion')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cmake', required=True)
    ap.add_argument('--build-dir', required=True)
    ap.add_argument('--source-dir', required=True)
    ap.add_argument('--app-id', required=True)
    a = ap.parse_args()
    version = re.search(r'project\(featscale VERSION ([0-9.]+)',
                        pathlib.Path(a.source_dir, 'CMakeLists.txt').read_text()).group(1)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix='featscale-install-', dir='/tmp'))
    for d in (a.source_dir, a.build_dir):
        if str(tmp.resolve()).startswith(os.path.realpath(d) + os.sep):
            raise SystemExit(f'the temporary prefix {tmp} lies inside {d}')
    try:
        r = subprocess.run([a.cmake, '--install', a.build_dir, '--prefix', str(tmp / 'a')],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f'cmake --install failed ({r.returncode}):\n{r.stdout}{r.stderr}')
        (tmp / 'a').rename(tmp / 'b')
        root = tmp / 'b'
        print(f'installed into {tmp}/a, moved to {root}')
        check_layout(root, a.app_id)
        check_no_build_paths(root, a.source_dir, a.build_dir)
        check_validators(root, a.app_id, version)

        wrap, why = hiding_wrapper(a.source_dir, a.build_dir)
        if wrap:
            print(f'running the installed programs with {a.source_dir} and {a.build_dir} hidden (tmpfs)')
        else:
            print(f'NOTE: source and build folders stay visible to the programs ({why}); '
                  'the path check above is the guarantee')
            wrap = []
        cwd = tmp / 'cwd'
        cwd.mkdir()
        env = user_env(tmp / 'home')
        check_cli_on_samples(root / 'bin/featscale-cli', root / 'share/featscale/samples', tmp / 'run', env, cwd, wrap)
        check_gui_on_samples(root / 'bin/featscale', tmp / 'shots', env, cwd, wrap)
        check_man_and_completion(root, root / 'bin/featscale-cli', env, cwd)
    except Failure as e:
        print(f'FAIL: {e}')
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('install_tree: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
