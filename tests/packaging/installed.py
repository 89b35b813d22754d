# SPDX-License-Identifier: GPL-3.0-or-later
"""Running installed featscale programs the way a user would: from a folder of their own, with a
fresh home and no FEATSCALE_* variables, so nothing but the installed tree can help them."""
import os
import pathlib
import shutil
import subprocess

SAMPLES = ('astronaut.jpg', 'chelsea.jpg', 'coffee.jpg', 'rocket.jpg')


class Failure(Exception):
    pass


def user_env(home):
    """A clean environment: no FEATSCALE_*, a fresh HOME and XDG folders under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('FEATSCALE_')}
    for var in ('XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'TORCH_HOME', 'KERAS_HOME', 'QT_QPA_PLATFORM'):
        env.pop(var, None)
    home = pathlib.Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), PATH='/usr/bin:/bin', OMP_NUM_THREADS='2', LC_ALL='C.UTF-8',
               XDG_RUNTIME_DIR=str(home / 'runtime'))
    (home / 'runtime').mkdir(mode=0o700, exist_ok=True)
    return env


def run(cmd, env, cwd, timeout, wrap=()):
    """Runs cmd (through the `wrap` prefix, e.g. a mount namespace); returns CompletedProcess."""
    try:
        return subprocess.run([*wrap, *map(str, cmd)], env=env, cwd=cwd, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:
        err = e.stderr.decode(errors='replace') if isinstance(e.stderr, bytes) else e.stderr
        raise Failure(f'{cmd[0]} did not finish in {timeout} s; stderr so far:\n{err}')


def check_cli_on_samples(cli, samples_dir, out, env, cwd, wrap=()):
    """featscale-cli analyze on the installed samples: exit 0 and one summary row set per photo."""
    names = sorted(p.name for p in pathlib.Path(samples_dir).glob('*.jpg'))
    if names != sorted(SAMPLES):
        raise Failure(f'installed samples in {samples_dir}: {names}, expected {sorted(SAMPLES)}')
    r = run([cli, 'analyze', samples_dir, '--out', out, '--quiet', '--threads', '2'], env, cwd, 300, wrap)
    if r.returncode != 0:
        raise Failure(f'{cli} analyze exited {r.returncode}:\n{r.stderr}')
    summary = pathlib.Path(out, 'summary.csv').read_text()
    for name in SAMPLES:
        if name not in summary:
            raise Failure(f'{out}/summary.csv has no row for {name}')
    print(f'ok: {cli} analyze {samples_dir}: {len(SAMPLES)} photos')


def check_gui_on_samples(gui, shots, env, cwd, wrap=(), display='offscreen'):
    """Starts the GUI with no paths: it opens the bundled samples and, with --screenshots, quits
    once their run has finished and the views are rendered (about 20 s on 2 busy cores). Without
    its samples no run happens, so it does not finish: the timeout is the failure."""
    env = dict(env)
    if display == 'offscreen':
        env['QT_QPA_PLATFORM'] = 'offscreen'
        prefix = list(wrap)
    else:  # a real X server (Xvfb), through the xcb platform plugin
        prefix = [*wrap, shutil.which('xvfb-run') or 'xvfb-run', '-a', '-s', '-screen 0 1280x800x24']
    r = run([gui, '--screenshots', shots], env, cwd, 150, prefix)
    if r.returncode != 0:
        raise Failure(f'{gui} --screenshots exited {r.returncode}:\n{r.stderr}')
    if not pathlib.Path(shots, 'main.png').is_file():
        raise Failure(f'{gui} wrote no {shots}/main.png:\n{r.stderr}')
    print(f'ok: {gui} ({display}) opened the installed samples, ran them and rendered its views')
