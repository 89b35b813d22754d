#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The architecture as the tree and the build enforce it.

Usage: architecture_test.py SOURCE_DIR BUILD_DIR

1. analysis/ is one folder per concern whose includes point one way only:
   core <- images, weights <- stats <- network <- engine <- runs <- trajectory (see ALLOWED); analysis/weights/
   has parts of its own: hash <- bytes, download; formats/* read files into the top level's
   StateDict and name its keys through layouts/ (see WEIGHTS_ALLOWED).
2. The engine includes nothing from ui/ or app/ and no Qt; ui/ includes nothing from app/.
   ui/ is one folder per concern too, one way only: state <- jobs, plots <- figures, panels <-
   runs <- window (see UI_ALLOWED); state/ holds no widgets.
6. tests/ mirrors the tree: tests/analysis/<folder> and tests/ui/<folder> name folders of analysis/
   and ui/ (tests/ui/support holds the GUI suites' shared helpers).
3. Public engine headers (outside internal/ folders) use plain C++: no internal header, no
   LibTorch, OpenCV, HDF5 or curl. Every internal header includes the boundary guard first.
4. Outside the engine (ui/, app/, bench/) no source includes an internal header or LibTorch.
5. The build enforces 3-4, not only this scan: with the compile flags CMake gives a ui/, an app/
   and a bench/ source, `#include <torch/torch.h>` does not resolve and an internal header stops
   at its #error, while a public header compiles (so the failures are not bad flags).
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

SRC, BUILD = sys.argv[1], sys.argv[2]
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
ALLOWED = {
    'core': set(),
    'images': {'core'},
    'weights': {'core'},
    'stats': {'core', 'weights'},
    'network': {'core', 'stats', 'weights'},
    'engine': {'core', 'images', 'network', 'stats', 'weights'},
    'runs': {'core', 'engine', 'images', 'network', 'stats', 'weights'},
    'trajectory': {'core', 'engine', 'images', 'network', 'runs', 'stats', 'weights'},
}
# analysis/weights/ has parts of its own, one way too. The folder's top level is its entry and its
# shared types (WeightInfo, StateDict): its .cpp files may use every part, its headers only hash/.
WEIGHTS_ALLOWED = {
    'hash': set(),
    'bytes': {'hash'},
    'layouts': {''},
    'download': {'hash'},
    'formats/protobuf': {'', 'bytes'},
    'formats': {'', 'bytes', 'layouts', 'formats/protobuf'},
    'formats/caffe': {'', 'bytes', 'layouts', 'formats', 'formats/protobuf'},
    'formats/onnx': {'', 'bytes', 'layouts', 'formats', 'formats/protobuf'},
    'formats/keras': {'', 'bytes', 'layouts', 'formats'},
    'formats/pytorch': {'', 'bytes', 'layouts', 'formats'},
    'formats/torch7': {'', 'bytes', 'formats'},
}
WEIGHTS_TOP_HEADERS = {'', 'hash'}
UI_ALLOWED = {
    'state': set(),
    'jobs': {'state'},
    'plots': {'state'},
    'figures': {'plots', 'state'},
    'panels': {'state', 'jobs', 'plots'},
    'runs': {'state', 'jobs', 'plots', 'figures', 'panels'},
    'window': {'state', 'jobs', 'plots', 'figures', 'panels', 'runs'},
}
THIRD_PARTY_ENGINE = ('torch/', 'ATen/', 'c10/', 'caffe2/', 'opencv2/', 'hdf5', 'H5', 'curl/')
TORCH = ('torch/', 'ATen/', 'c10/', 'caffe2/')
problems = []


def sources(folder):
    for root, _, files in os.walk(os.path.join(SRC, folder)):
        for f in sorted(files):
            if f.endswith(('.h', '.cpp', '.hxx')):
                yield os.path.join(root, f)


def includes(path):
    text = open(path, encoding='utf-8').read()
    for m in INCLUDE.finditer(text):
        yield text.count('\n', 0, m.start()) + 1, m.group(1), m.group(2)


def rel(path):
    return os.path.relpath(path, SRC)


def weights_part(rest):
    """The part of analysis/weights a path below it belongs to: '' (the top level), 'hash', 'formats/onnx' …"""
    rest = [p for p in rest[:-1] if p != 'internal']
    if not rest:
        return ''
    if rest[0] == 'formats' and len(rest) > 1:
        return 'formats/' + rest[1]
    return rest[0]


# 1-3: the engine
folders = sorted(d for d in os.listdir(os.path.join(SRC, 'analysis')) if os.path.isdir(os.path.join(SRC, 'analysis', d)))
for d in folders:
    if d not in ALLOWED:
        problems.append(f'analysis/{d}/: a folder the dependency rules do not know (add it to ALLOWED)')
for path in sources('analysis'):
    parts = rel(path).split(os.sep)
    if len(parts) < 3:
        problems.append(f'{rel(path)}: engine files belong in a concern folder, not analysis/ itself')
        continue
    folder = parts[1]
    internal_header = 'internal' in parts[2:-1] and path.endswith('.h')
    public_header = path.endswith('.h') and 'internal' not in parts
    lines = list(includes(path))
    if internal_header and not parts[-1] == 'boundary.h':
        first = next((name for _, kind, name in lines if kind == '"'), None)
        if first != 'analysis/core/internal/boundary.h':
            problems.append(f'{rel(path)}: internal header does not include analysis/core/internal/boundary.h first')
    for line, kind, name in lines:
        where = f'{rel(path)}:{line}: #include {name}'
        if name.startswith(('ui/', 'app/')) or re.match(r'Q[A-Z]\w*$', name) or name.startswith('Qt'):
            problems.append(f'{where}: the engine includes no Qt, ui/ or app/')
        if name.startswith('analysis/'):
            target = name.split('/')[1]
            if target != folder and target not in ALLOWED.get(folder, set()):
                problems.append(f'{where}: {folder}/ may not depend on {target}/ (allowed: {sorted(ALLOWED.get(folder, []))})')
            if public_header and '/internal/' in name:
                problems.append(f'{where}: a public header includes an internal one')
        if public_header and kind == '<' and name.startswith(THIRD_PARTY_ENGINE):
            problems.append(f'{where}: a public header exposes a library type (keep it in .cpp or internal/)')
        if folder == 'weights' and name.startswith('analysis/weights/'):
            own, target = weights_part(parts[2:]), weights_part(name.split('/')[2:])
            if own == '' and path.endswith('.h'):
                allowed = WEIGHTS_TOP_HEADERS
            elif own == '':
                allowed = set(WEIGHTS_ALLOWED) | {''}
            else:
                allowed = WEIGHTS_ALLOWED.get(own, set()) | {own}
            if target not in allowed:
                problems.append(f'{where}: weights/{own or "(top)"} may not depend on weights/{target or "(top)"} '
                                f'(allowed: {sorted(a or "(top)" for a in allowed)})')

for part in sorted({weights_part(rel(p).split(os.sep)[2:]) for p in sources('analysis/weights')}):
    if part and part not in WEIGHTS_ALLOWED:
        problems.append(f'analysis/weights/{part}/: a part the dependency rules do not know (add it to WEIGHTS_ALLOWED)')

# 6: tests mirror the tree
for top, known in (('analysis', set(ALLOWED)), ('ui', set(UI_ALLOWED) | {'support'})):
    base = os.path.join(SRC, 'tests', top)
    for d in sorted(os.listdir(base)):
        if os.path.isdir(os.path.join(base, d)) and d not in known:
            problems.append(f'tests/{top}/{d}/: names no folder of {top}/ (known: {sorted(known)})')
        elif d.endswith(('.cpp', '.py')):
            problems.append(f'tests/{top}/{d}: a suite belongs in the folder of what it tests')

# 2, 4: outside the engine
for folder in ('ui', 'app', 'bench'):
    for path in sources(folder):
        for line, kind, name in includes(path):
            where = f'{rel(path)}:{line}: #include {name}'
            if '/internal/' in name and name.startswith('analysis/'):
                problems.append(f'{where}: internal engine header outside the engine')
            if kind == '<' and name.startswith(TORCH):
                problems.append(f'{where}: LibTorch outside the engine')
            if folder == 'ui' and name.startswith('app/'):
                problems.append(f'{where}: ui/ may not depend on app/')
            if folder == 'ui':
                parts = rel(path).split(os.sep)
                if len(parts) < 3 or parts[1] not in UI_ALLOWED:
                    problems.append(f'{rel(path)}: GUI files belong in a concern folder ({sorted(UI_ALLOWED)})')
                    continue
                own = parts[1]
                if name.startswith('ui/'):
                    target = name.split('/')[1]
                    if target != own and target not in UI_ALLOWED[own]:
                        problems.append(f'{where}: ui/{own}/ may not depend on ui/{target}/ (allowed: {sorted(UI_ALLOWED[own])})')
                if own == 'state' and re.match(r'Q(Widget|AbstractButton|Dialog|MainWindow|Label|LineEdit|Slider|SpinBox|DoubleSpinBox|ComboBox|PushButton)$', name):
                    problems.append(f'{where}: ui/state/ holds no widgets')

# 5: what the compiler says with each front end's own flags
commands = json.load(open(os.path.join(BUILD, 'compile_commands.json')))


def command_for(prefix):
    for c in commands:
        if rel(c['file']).startswith(prefix) and c['file'].endswith('.cpp'):
            return c
    return None


def compile_snippet(entry, snippet):
    args = shlex.split(entry['command']) if 'command' in entry else list(entry['arguments'])
    # drop the output and the source, compile the snippet instead, syntax only
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ('-o', '-c'):
            skip = a == '-o'
            continue
        if os.path.abspath(os.path.join(entry['directory'], a)) == os.path.abspath(entry['file']):
            continue
        out.append(a)
    with tempfile.NamedTemporaryFile('w', suffix='.cpp', delete=False) as f:
        f.write(snippet)
        name = f.name
    try:
        r = subprocess.run(out + ['-fsyntax-only', name], cwd=entry['directory'], capture_output=True, text=True)
    finally:
        os.unlink(name)
    return r.returncode, r.stderr


checked = 0
for prefix in ('ui/', 'app/', 'bench/'):
    entry = command_for(prefix)
    if entry is None:
        continue  # e.g. a build without the GUI
    checked += 1
    code, err = compile_snippet(entry, '#include "analysis/engine/analyzer.h"\nint main() { return 0; }\n')
    if code != 0:
        problems.append(f'{prefix}: a public engine header does not compile with {rel(entry["file"])}\'s flags:\n{err[-2000:]}')
        continue
    code, err = compile_snippet(entry, '#include <torch/torch.h>\n')
    if code == 0 or 'torch/torch.h' not in err:
        problems.append(f'{prefix}: <torch/torch.h> is reachable with {rel(entry["file"])}\'s flags')
    code, err = compile_snippet(entry, '#include "analysis/stats/internal/l2norm.h"\n')
    if code == 0 or 'internal header of analysis/' not in err:
        problems.append(f'{prefix}: an internal engine header compiles with {rel(entry["file"])}\'s flags')
if checked == 0:
    problems.append('no ui/, app/ or bench/ entries in compile_commands.json: nothing was compiled to check the boundary')

for p in problems:
    print(p)
print(f'architecture: {len(problems)} problem(s); compile checks with the flags of {checked} front end(s)')
sys.exit(1 if problems else 0)
