#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the PyTorch weight-file fixtures of tests/analysis/weights with Debian's python3-torch.

    make_fixtures.py OUTDIR formats   small files: both serializations, dtypes, views, wrappers,
                                      hand-written legacy/Python 2 pickles, hostile files
    make_fixtures.py OUTDIR layouts   full-size state dicts of every supported key layout

Each part writes OUTDIR/<part>/manifest.json with what the C++ tests must find: for every tensor
its shape and the sha256 of its float32 little-endian bytes as torch itself converts it. For the
layouts, the expected canonical name of every parameter is derived here from the network's module
order (conv modules in forward order), not from key names, so the C++ key mapping is checked
against an independent derivation. A part is skipped when its stamp (the hash of its scripts) matches.
"""
import hashlib
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the fixture_* modules
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'support'))  # ssd_vgg
import torch  # noqa: E402

from fixture_formats import formats  # noqa: E402
from fixture_layouts import layouts  # noqa: E402

# A part's stamp covers the scripts it is made by, so editing one regenerates exactly what depends on it.
HERE = os.path.dirname(os.path.abspath(__file__))
PART_SCRIPTS = {'formats': ['make_fixtures.py', 'fixture_common.py', 'fixture_formats.py', 'fixture_hostile.py'],
                'layouts': ['make_fixtures.py', 'fixture_common.py', 'fixture_layouts.py',
                            '../../../support/ssd_vgg.py']}


def scripts_hash(part):
    return hashlib.sha256(b''.join(open(os.path.join(HERE, f), 'rb').read() for f in PART_SCRIPTS[part])).hexdigest()


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ('formats', 'layouts'):
        sys.exit(__doc__)
    part = sys.argv[2]
    out = os.path.join(os.path.abspath(sys.argv[1]), part)
    stamp = os.path.join(out, 'stamp')
    if os.path.exists(stamp) and open(stamp).read() == scripts_hash(part):
        print('fixtures up to date:', out)
        return
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    torch.manual_seed(0)
    manifest = formats(out) if part == 'formats' else layouts(out)
    with open(os.path.join(out, 'manifest.json.tmp'), 'w') as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    os.replace(os.path.join(out, 'manifest.json.tmp'), os.path.join(out, 'manifest.json'))
    with open(stamp, 'w') as f:
        f.write(scripts_hash(part))
    print('wrote', out)


if __name__ == '__main__':
    main()
