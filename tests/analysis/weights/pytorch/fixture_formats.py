# SPDX-License-Identifier: GPL-3.0-or-later
"""Small state dicts in every serialization variant PyTorch has written, plus plain data pickles."""
import collections
import json
import os
import pickle
import zipfile

import torch
import torch.nn as nn

from fixture_common import (Ops, describe, force_zip64, legacy_view_pickle, python2_state_dict_pickle, rezip,
                            save_legacy, save_zip, write_legacy_by_hand)
from fixture_hostile import hostile_files


def basic_state_dict():
    g = torch.Generator().manual_seed(1)
    sd = collections.OrderedDict()
    sd['conv.weight'] = torch.randn(4, 3, 3, 3, generator=g)
    sd['conv.bias'] = torch.randn(4, generator=g)
    sd['fc.weight'] = torch.randn(5, 4, generator=g)
    sd['param'] = nn.Parameter(torch.randn(3, generator=g))  # pickled via _rebuild_parameter
    sd['scalar'] = torch.tensor(2.5)
    sd['empty'] = torch.zeros(0, 3)
    sd['specials'] = torch.tensor([float('nan'), float('inf'), float('-inf'), -0.0, 1e-45, 3.4e38])
    return sd


def dtype_state_dict():
    g = torch.Generator().manual_seed(2)
    sd = collections.OrderedDict()
    sd['f16'] = torch.randn(7, 3, generator=g).half()
    sd['bf16'] = torch.randn(5, 2, generator=g).bfloat16()
    sd['f64'] = torch.randn(4, 4, generator=g).double() * 1e3
    sd['i64'] = torch.arange(-5, 5, dtype=torch.int64) * 1000003
    sd['i32'] = torch.arange(-3, 3, dtype=torch.int32) * 70001
    sd['i16'] = torch.arange(-4, 4, dtype=torch.int16) * 4001
    sd['i8'] = torch.arange(-128, 128, 17, dtype=torch.int8)
    sd['u8'] = torch.arange(0, 256, 15, dtype=torch.uint8)
    sd['bool'] = torch.tensor([True, False, True])
    # Every half-precision bit pattern: normals, subnormals, zeros, infinities, NaN payloads.
    sd['all_halves'] = torch.arange(0, 65536, dtype=torch.int32).to(torch.int16).view(torch.float16)
    sd['all_bf16_exponents'] = (torch.arange(0, 65536, 97, dtype=torch.int32).to(torch.int16)
                                .view(torch.bfloat16))
    return sd


def view_state_dict():
    g = torch.Generator().manual_seed(3)
    base = torch.randn(6, 8, generator=g)
    half = torch.randn(4, 5, generator=g).half()
    sd = collections.OrderedDict()
    sd['base'] = base
    sd['transposed'] = base.t()
    sd['slice'] = base[2:5, 1:7]
    sd['every_other_column'] = base[:, ::2]
    sd['row'] = base[3]
    sd['column'] = base[:, 5]
    sd['flat_offset'] = base.view(-1)[10:20]
    sd['reshaped'] = base.view(4, 12)
    sd['expanded'] = torch.randn(3, generator=g).expand(4, 3)
    sd['half_transposed'] = half.t()
    sd['half'] = half
    sd['permuted_4d'] = torch.randn(2, 3, 4, 5, generator=g).permute(3, 1, 0, 2)
    return sd


def formats(out):
    manifest = {'files': {}}
    files = manifest['files']

    def record(name, sd, fmt, extra=None):
        entry = {'format': fmt, 'tensors': describe(sd)}
        entry.update(extra or {})
        files[name] = entry

    sd = basic_state_dict()
    save_zip(sd, os.path.join(out, 'basic_zip.pth'))
    record('basic_zip.pth', sd, 'pytorch-zip')
    save_legacy(sd, os.path.join(out, 'basic_legacy.pth'))
    record('basic_legacy.pth', sd, 'pytorch-legacy')
    save_zip(sd, os.path.join(out, 'basic_zip_protocol4.pth'), pickle_protocol=4)
    record('basic_zip_protocol4.pth', sd, 'pytorch-zip')
    save_legacy(sd, os.path.join(out, 'basic_legacy_protocol1.pth'), pickle_protocol=1)
    record('basic_legacy_protocol1.pth', sd, 'pytorch-legacy')
    save_legacy(sd, os.path.join(out, 'basic_legacy_protocol5.pth'), pickle_protocol=5)
    record('basic_legacy_protocol5.pth', sd, 'pytorch-legacy')
    rezip(os.path.join(out, 'basic_zip.pth'), os.path.join(out, 'basic_zip_other_folder.pth'), 'archive')
    record('basic_zip_other_folder.pth', sd, 'pytorch-zip')
    force_zip64(os.path.join(out, 'basic_zip.pth'), os.path.join(out, 'basic_zip64.pth'))
    with zipfile.ZipFile(os.path.join(out, 'basic_zip64.pth')) as z:  # Python must agree it is valid
        assert z.testzip() is None
    record('basic_zip64.pth', sd, 'pytorch-zip')

    sd = dtype_state_dict()
    save_zip(sd, os.path.join(out, 'dtypes_zip.pth'))
    record('dtypes_zip.pth', sd, 'pytorch-zip')
    save_legacy(sd, os.path.join(out, 'dtypes_legacy.pth'))
    record('dtypes_legacy.pth', sd, 'pytorch-legacy')

    sd = view_state_dict()
    save_zip(sd, os.path.join(out, 'views_zip.pth'))
    record('views_zip.pth', sd, 'pytorch-zip')
    save_legacy(sd, os.path.join(out, 'views_legacy.pth'))
    record('views_legacy.pth', sd, 'pytorch-legacy')
    # The views must really share storage in the file for the test to mean anything.
    with zipfile.ZipFile(os.path.join(out, 'views_zip.pth')) as z:
        records = [n for n in z.namelist() if '/data/' in n]
    assert len(records) == 4, records  # base, expanded's source, half, permuted

    # Checkpoints wrapping a state dict.
    sd = basic_state_dict()
    optimizer = {'state': {0: {'momentum_buffer': torch.randn(4, 3, 3, 3)}, 1: {'step': 10}},
                 'param_groups': [{'lr': 0.01, 'momentum': 0.9, 'params': [0, 1]}]}
    wrappers = {
        'wrapped_state_dict.pth': {'meta': {'epoch': 24, 'config': 'model = dict(type="SSD")',
                                            'CLASSES': ('person', 'car')},
                                   'state_dict': sd, 'optimizer': optimizer},
        'wrapped_model.pth': {'epoch': 3, 'model': sd, 'best_acc': 0.75},
        'wrapped_net.pth': {'net': sd, 'iteration': 120000},
        'wrapped_model_state_dict.pth': {'model_state_dict': sd, 'optimizer_state_dict': optimizer, 'loss': 1.5},
        'wrapped_twice.pth': {'model': {'state_dict': sd, 'version': 2}, 'epoch': 1},
    }
    for name, obj in wrappers.items():
        save_zip(obj, os.path.join(out, name))
        record(name, sd, 'pytorch-zip')
    save_legacy(wrappers['wrapped_state_dict.pth'], os.path.join(out, 'wrapped_state_dict_legacy.pth'))
    record('wrapped_state_dict_legacy.pth', sd, 'pytorch-legacy')
    # A state dict with non-tensor entries mixed in (kept quietly by some training scripts).
    mixed = collections.OrderedDict(sd)
    mixed['epoch'] = 5
    mixed['note'] = 'trained on VOC'
    save_zip(mixed, os.path.join(out, 'mixed_entries.pth'))
    record('mixed_entries.pth', sd, 'pytorch-zip')
    # A bare tensor (e.g. a learned gamma saved with torch.save(t, f)).
    gamma = torch.linspace(5, 25, 512)
    save_zip(gamma, os.path.join(out, 'bare_tensor.pth'))
    record('bare_tensor.pth', collections.OrderedDict(tensor=gamma), 'pytorch-zip')

    # Hand-written legacy files: Python 2 opcodes, and storage views with view metadata.
    g = torch.Generator().manual_seed(4)
    s0 = torch.randn(24, generator=g)
    s1 = torch.randn(10, generator=g)
    entries = [('features.0.weight', '94857', 24, 0, (2, 3, 2, 2), (12, 4, 2, 1)),
               ('features.0.bias', '94901', 10, 8, (2,), (1,)),
               ('transposed', '94857', 24, 2, (3, 4), (1, 6))]
    write_legacy_by_hand(os.path.join(out, 'python2_legacy.pth'), python2_state_dict_pickle(entries),
                         [('94857', s0), ('94901', s1)])
    expect = collections.OrderedDict()
    expect['features.0.weight'] = s0.view(2, 3, 2, 2)
    expect['features.0.bias'] = s1[8:10]
    expect['transposed'] = torch.as_strided(s0, (3, 4), (1, 6), 2)
    record('python2_legacy.pth', expect, 'pytorch-legacy')

    root = torch.randn(30, generator=g)
    views = [('a', 'v1', 4, 12, 0, (3, 4), (4, 1)),
             ('b', 'v2', 16, 10, 1, (2, 3), (1, 2)),
             ('c', 'v1', 4, 12, 6, (6,), (1,))]
    write_legacy_by_hand(os.path.join(out, 'legacy_storage_views.pth'), legacy_view_pickle(views, '77', 30),
                         [('77', root)])
    expect = collections.OrderedDict()
    for name, _, voff, vsize, off, size, stride in views:
        expect[name] = torch.as_strided(root[voff:voff + vsize].clone(), size, stride, off)
    record('legacy_storage_views.pth', expect, 'pytorch-legacy')

    # Plain pickles of data only (no tensors) for the unpickler itself, with the value Python
    # reads from them. Protocol 0 exercises the text opcodes (INT, FLOAT, UNICODE, PUT/GET, DICT).
    data = {'ints': [0, 1, -1, 255, 256, 65535, 65536, -2 ** 31, 2 ** 31 - 1, 2 ** 40, -2 ** 63, 2 ** 63 - 1],
            'floats': [0.0, -1.5, 3.141592653589793, 1e-300, 1e300],
            'text': ['', 'ascii', 'ünïcödé', 'tab\tnewline\n', 'back\\slash'],
            'flags': [True, False, None],
            'nested': {'tuple': (1, (2, 3), ()), 'list': [[], [[]]]}}
    shared = [1, 2]
    data['shared'] = [shared, shared]
    plain = {}
    for proto in range(6):
        name = 'plain_protocol%d.pkl' % proto
        open(os.path.join(out, name), 'wb').write(pickle.dumps(data, protocol=proto))
        plain[name] = True
    # Python 2 byte strings: STRING (protocol 0 repr) and SHORT_BINSTRING/BINSTRING.
    py2 = Ops(0).raw(b"(dp0\nS'key'\np1\nS'it\\'s \\x41\\n'\np2\nsS'other'\np3\n").raw(b"I01\ns").stop()
    open(os.path.join(out, 'python2_strings_protocol0.pkl'), 'wb').write(py2)
    py2b = Ops(2).raw(b'}q\x00(').short_binstring('a').binstring('bee').short_binstring('big').raw(
        b'\x8a\x09' + (2 ** 64 + 5).to_bytes(9, 'little')).raw(b'u').stop()
    open(os.path.join(out, 'python2_strings_protocol2.pkl'), 'wb').write(py2b)
    manifest['plain'] = {'value': json.loads(json.dumps(data)), 'files': sorted(plain)}

    # TorchScript: parameters and float buffers of a scripted module.
    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 2, 1))
            self.register_buffer('scale', torch.linspace(1, 2, 2))

        def forward(self, x):
            return self.features(x) * self.scale.view(1, -1, 1, 1)

    torch.manual_seed(5)
    tiny = Tiny()
    torch.jit.script(tiny).save(os.path.join(out, 'tiny_script.pt'))
    record('tiny_script.pt', tiny.state_dict(), 'torchscript')

    hostile_files(out, manifest)
    return manifest
