#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One description per L2Norm eps mode: the engine's table (analysis/core/types.cpp, epsModes())
is what `featscale-cli analyze --help` prints and what the README's --eps table says, word for word.

Usage: eps_descriptions_test.py FEATSCALE_CLI SOURCE_DIR
"""
import os
import re
import subprocess
import sys

cli, src = sys.argv[1], sys.argv[2]
types = open(os.path.join(src, 'analysis/core/types.cpp'), encoding='utf-8').read()
modes = re.findall(r'\{EpsMode::\w+, "([^"]+)", "([^"]+)", "([^"]+)"\}', types)
names = {'caffe', 'ssd-pytorch', 'torchvision', 'tf', 'naive'}
problems = []
if {m[0] for m in modes} != names:
    problems.append(f'epsModes() lists {sorted(m[0] for m in modes)}, expected {sorted(names)}')

help_text = subprocess.run([cli, 'analyze', '--help'], capture_output=True, text=True, check=True).stdout
readme = open(os.path.join(src, 'README.md'), encoding='utf-8').read()
for name, formula, origin in modes:
    if not re.search(rf'^\s+{re.escape(name)}\s+{re.escape(formula)}\s+\({re.escape(origin)}\)$', help_text, re.M):
        problems.append(f'analyze --help does not describe {name} as "{formula}" ({origin})')
    if f'| `{name}` | `{formula}` | {origin} |' not in readme:
        problems.append(f'README --eps table does not describe {name} as `{formula}` | {origin}')

for p in problems:
    print(p)
print(f'{len(modes)} eps modes, {len(problems)} problem(s)')
sys.exit(1 if problems else 0)
