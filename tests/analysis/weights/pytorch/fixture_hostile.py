# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile and damaged PyTorch files, each with the text its error message must contain."""
import collections
import io
import os
import pickle
import struct
import subprocess
import sys
import time
import zipfile
from typing import Tuple

import torch
import torch.nn as nn

from fixture_common import Ops, legacy_header, save_legacy, save_zip


SETSTATE_MARKER = 'FEATSCALE-SETSTATE-RAN'


class CustomState(nn.Module):
    """A TorchScript module whose __setstate__ runs code when torch.jit.load reads it."""

    def __init__(self):
        super().__init__()
        self.w = torch.ones(2)

    def forward(self, x):
        return x * self.w

    @torch.jit.export
    def __getstate__(self) -> Tuple[torch.Tensor, bool]:
        return (self.w, self.training)

    @torch.jit.export
    def __setstate__(self, state: Tuple[torch.Tensor, bool]) -> None:
        print('FEATSCALE-SETSTATE-RAN')
        self.w = state[0]
        self.training = state[1]


class Payload:
    """Pickles to a call of `func(*args)`: what a malicious checkpoint embeds."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def hostile_files(out, manifest):
    """Files that would run code or allocate without bound if loaded naively. Each code payload
    touches markers/<name>; the generator proves the payloads are live by letting Python's own
    unpickler run a copy that touches proof/<name> (then removed)."""
    hostile = os.path.join(out, 'hostile')
    markers = os.path.join(out, 'markers')
    proof = os.path.join(out, 'proof')
    for d in (hostile, markers, proof):
        os.makedirs(d, exist_ok=True)
    expect = {}

    def payloads(name, where):
        target = os.path.join(where, name)
        return {
            'os_system': Payload(os.system, ('touch ' + target,)),
            'builtins_eval': Payload(eval, ("open(%r, 'w').close()" % target,)),
            'builtins_exec': Payload(exec, ("open(%r, 'w').close()" % target,)),
            'subprocess_popen': Payload(subprocess.Popen, (['touch', target],)),
        }[name]

    # As protocol 2 writes them (Python 2 compatible names: __builtin__, commands).
    globals_named = {'os_system': 'posix.system', 'builtins_eval': '__builtin__.eval',
                     'builtins_exec': '__builtin__.exec', 'subprocess_popen': 'commands.Popen'}
    for name, qualified in globals_named.items():
        live = pickle.dumps({'w': payloads(name, proof)}, protocol=2)
        pickle.loads(live)  # runs the payload: the fixture really is hostile
        for _ in range(50):
            if os.path.exists(os.path.join(proof, name)):
                break
            time.sleep(0.05)
        assert os.path.exists(os.path.join(proof, name)), name + ' payload did not run under pickle.loads'
        os.remove(os.path.join(proof, name))
        sd = collections.OrderedDict(weight=torch.ones(2), evil=payloads(name, markers))
        save_zip(sd, os.path.join(hostile, name + '_zip.pth'))
        save_legacy(sd, os.path.join(hostile, name + '_legacy.pth'))
        expect[name + '_zip.pth'] = 'unknown global ' + qualified
        expect[name + '_legacy.pth'] = 'unknown global ' + qualified
        # Protocol 4 writes Python 3 names with STACK_GLOBAL.
        save_zip(sd, os.path.join(hostile, name + '_zip_protocol4.pth'), pickle_protocol=4)
        expect[name + '_zip_protocol4.pth'] = 'unknown global ' + {
            'os_system': 'posix.system', 'builtins_eval': 'builtins.eval', 'builtins_exec': 'builtins.exec',
            'subprocess_popen': 'subprocess.Popen'}[name]

    # Raw opcodes naming os.system directly (GLOBAL) and via STACK_GLOBAL, inside a legacy file.
    mark = os.path.join(markers, 'raw_os_system')
    o = Ops().global_('os', 'system').binunicode('touch ' + mark).raw(b'\x85R')
    with open(os.path.join(hostile, 'raw_global_os_system.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['raw_global_os_system.pth'] = 'unknown global os.system'
    o = Ops(4).binunicode('os').binunicode('system').raw(b'\x93').binunicode('touch ' + mark).raw(b'\x85R')
    with open(os.path.join(hostile, 'raw_stack_global_os_system.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['raw_stack_global_os_system.pth'] = 'unknown global os.system'

    # Nested REDUCE: getattr(__import__('os'), 'system')('touch ...').
    o = Ops().global_('builtins', 'getattr').global_('builtins', '__import__').binunicode('os').raw(b'\x85R')
    o.binunicode('system').raw(b'\x86R').binunicode('touch ' + mark).raw(b'\x85R')
    with open(os.path.join(hostile, 'nested_reduce_getattr.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['nested_reduce_getattr.pth'] = 'unknown global builtins.getattr'

    # REDUCE on the result of a whitelisted call: OrderedDict()(...) must not be "called".
    o = Ops().global_('collections', 'OrderedDict').raw(b')R').binunicode('x').raw(b'\x85R')
    with open(os.path.join(hostile, 'reduce_on_result.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['reduce_on_result.pth'] = 'REDUCE on a dict'

    # A whitelisted module with a name that is not: torch.load / torch._utils.__builtins__ tricks.
    o = Ops().global_('torch', 'load').binunicode(mark).raw(b'\x85R')
    with open(os.path.join(hostile, 'torch_load.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['torch_load.pth'] = 'unknown global torch.load'
    o = Ops().global_('torch._utils', '_rebuild_tensor_v2.__globals__').raw(b'.')
    with open(os.path.join(hostile, 'dotted_name.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['dotted_name.pth'] = 'unknown global torch._utils._rebuild_tensor_v2.__globals__'

    # INST / OBJ (protocol 0/1 object creation) are refused outright.
    o = Ops(0).raw(b'(S\'touch x\'\nios\nsystem\n')
    with open(os.path.join(hostile, 'inst_opcode.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['inst_opcode.pth'] = "unsupported pickle opcode 0x69 ('i')"

    # A whole pickled nn.Module (torch.save(model)) names its class: refused with that name.
    save_legacy(nn.Linear(2, 2), os.path.join(hostile, 'whole_module_legacy.pth'))
    expect['whole_module_legacy.pth'] = 'unknown global torch.nn.modules.linear.Linear'
    save_zip(nn.Linear(2, 2), os.path.join(hostile, 'whole_module_zip.pth'))
    expect['whole_module_zip.pth'] = 'unknown global torch.nn.modules.linear.Linear'

    # TorchScript: torch.jit.load runs the archive's __setstate__ (proved in a child process);
    # featscale reads the archive as data, so the module's custom state is reported, not run.
    script = os.path.join(hostile, 'torchscript_setstate.pt')
    torch.jit.script(CustomState()).save(script)
    ran = subprocess.run([sys.executable, '-c', 'import sys, torch; torch.jit.load(sys.argv[1])', script],
                         capture_output=True, text=True, check=True)
    assert SETSTATE_MARKER in ran.stdout, ran.stdout
    expect['torchscript_setstate.pt'] = 'custom __setstate__, which is never run'

    # Wrong magic number.
    good = io.BytesIO()
    save_legacy(collections.OrderedDict(a=torch.ones(3)), good)
    data = bytearray(good.getvalue())
    data[4] ^= 0xff
    open(os.path.join(hostile, 'wrong_magic.pth'), 'wb').write(data)
    expect['wrong_magic.pth'] = 'wrong magic number'

    # Absurd element counts in front of a legacy storage (the last 8 + 12 bytes are count + data).
    for label, count in (('absurd_count', 1 << 62), ('negative_count', -1), ('count_plus_one', 4)):
        d = bytearray(good.getvalue())
        d[-20:-12] = struct.pack('<q', count)
        open(os.path.join(hostile, label + '.pth'), 'wb').write(d)
    expect['absurd_count.pth'] = 'claims 4611686018427387904 float32 elements'
    expect['negative_count.pth'] = 'claims -1 float32 elements'
    expect['count_plus_one.pth'] = 'claims 4 float32 elements'

    # Pickle claiming a storage far larger than its data (zip record holds 12 bytes).
    class BigClaim(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, torch.storage.TypedStorage):
                return ('storage', torch.FloatStorage, '0', 'cpu', 1 << 40)
            return None
    buf = io.BytesIO()
    BigClaim(buf, protocol=2).dump(collections.OrderedDict(a=torch.ones(3)))
    with zipfile.ZipFile(os.path.join(hostile, 'storage_claims_more.pth'), 'w') as z:
        z.writestr('archive/data.pkl', buf.getvalue())
        z.writestr('archive/data/0', torch.ones(3).numpy().tobytes())
    expect['storage_claims_more.pth'] = 'holds 12 bytes but the pickle claims 1099511627776 float32 elements'

    # Tensor view reaching beyond its storage.
    class Short(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, torch.storage.TypedStorage):
                return ('storage', torch.FloatStorage, '0', 'cpu', 2)
            return None
    buf = io.BytesIO()
    Short(buf, protocol=2).dump(collections.OrderedDict(a=torch.ones(3)))
    with zipfile.ZipFile(os.path.join(hostile, 'view_beyond_storage.pth'), 'w') as z:
        z.writestr('archive/data.pkl', buf.getvalue())
        z.writestr('archive/data/0', torch.ones(3).numpy().tobytes())
    expect['view_beyond_storage.pth'] = 'tensor view needs 3 elements but storage 0 has 2'

    # Zip entries: compressed (a zip bomb: 256 MiB of zeros deflated), missing storage record,
    # sizes claimed beyond the file, truncated central directory.
    small = os.path.join(out, 'tmp_small_zip.pth')
    save_zip(collections.OrderedDict(a=torch.ones(3)), small)
    with zipfile.ZipFile(small) as zin, zipfile.ZipFile(os.path.join(hostile, 'zip_bomb.pth'), 'w') as zout:
        for info in zin.infolist():
            if info.filename.endswith('/data/0'):
                zout.writestr(info.filename, bytes(256 << 20), compress_type=zipfile.ZIP_DEFLATED)
            else:
                zout.writestr(info.filename, zin.read(info.filename))
    expect['zip_bomb.pth'] = 'is compressed (method 8)'
    with zipfile.ZipFile(small) as zin, zipfile.ZipFile(os.path.join(hostile, 'missing_record.pth'), 'w') as zout:
        for info in zin.infolist():
            if not info.filename.endswith('/data/0'):
                zout.writestr(info.filename, zin.read(info.filename))
    expect['missing_record.pth'] = 'storage record tmp_small_zip/data/0 is missing'
    raw = bytearray(open(small, 'rb').read())
    # Patch every central-directory entry's sizes to 0xfffffff0 (no zip64 field: plain claim).
    pos = raw.find(b'PK\x01\x02')
    while pos >= 0:
        raw[pos + 20:pos + 28] = struct.pack('<II', 0xfffffff0, 0xfffffff0)
        pos = raw.find(b'PK\x01\x02', pos + 4)
    open(os.path.join(hostile, 'zip_huge_entry.pth'), 'wb').write(raw)
    expect['zip_huge_entry.pth'] = 'claims 4294967280 bytes'
    # One flipped bit in a storage record: the archive is intact, the weights are not.
    raw = bytearray(open(small, 'rb').read())
    at = raw.index(torch.ones(3).numpy().tobytes())
    raw[at + 5] ^= 0x01
    open(os.path.join(hostile, 'crc_mismatch.pth'), 'wb').write(raw)
    expect['crc_mismatch.pth'] = 'entry tmp_small_zip/data/0 fails its CRC-32 check'
    os.remove(small)

    # Tiny files that would expand enormously: one storage viewed 400 times, and a stride-0 expand.
    base = torch.randn(1 << 18)
    save_zip(collections.OrderedDict(('v%d' % i, base.view(-1)) for i in range(400)),
             os.path.join(hostile, 'overlapping_views.pth'))
    expect['overlapping_views.pth'] = 'refusing to allocate'
    save_zip(collections.OrderedDict(e=torch.ones(1).expand(20000, 20000)), os.path.join(hostile, 'expand_bomb.pth'))
    expect['expand_bomb.pth'] = 'refusing to allocate'

    # Deep nesting through the memo (a list inside a list, 200000 levels) and a self-containing list.
    o = Ops().raw(b']q\x000')
    for _ in range(200000):
        o.raw(b']h\x00aq\x000')  # new = []; new.append(memo[0]); memo[0] = new; pop
    o.raw(b'h\x00')
    with open(os.path.join(hostile, 'deep_nesting.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['deep_nesting.pth'] = 'is a list, not a state dict'
    o = Ops().raw(b']q\x00h\x00a')
    with open(os.path.join(hostile, 'self_reference.pth'), 'wb') as f:
        f.write(legacy_header() + o.stop())
    expect['self_reference.pth'] = 'is a list, not a state dict'

    # Length fields larger than the file.
    for label, body in (('huge_binunicode8', b'\x8d' + struct.pack('<Q', 1 << 60) + b'abc'),
                        ('huge_binstring', b'T' + struct.pack('<i', 0x7fffffff) + b'abc'),
                        ('huge_frame', b'\x95' + struct.pack('<Q', 1 << 62)),
                        ('huge_long4', b'\x8b' + struct.pack('<i', 1 << 30)),
                        ('negative_binstring', b'T' + struct.pack('<i', -5) + b'abc')):
        with open(os.path.join(hostile, label + '.pth'), 'wb') as f:
            f.write(legacy_header() + b'\x80\x04' + body)
    expect['huge_binunicode8.pth'] = 'truncated'
    expect['huge_binstring.pth'] = 'truncated'
    expect['huge_frame.pth'] = 'truncated'
    expect['huge_long4.pth'] = 'LONG4 integer of 1073741824 bytes'
    expect['negative_binstring.pth'] = 'negative BINSTRING length'

    # Memo index far beyond anything stored, stack underflow, MARK-less TUPLE.
    for label, body in (('bad_memo', b'j' + struct.pack('<I', 0xffffffff)), ('underflow', b'R'), ('no_mark', b't')):
        with open(os.path.join(hostile, label + '.pth'), 'wb') as f:
            f.write(legacy_header() + b'\x80\x02' + body + b'.')
    expect['bad_memo.pth'] = 'memo has no entry 4294967295'
    expect['underflow.pth'] = 'stack underflow'
    expect['no_mark.pth'] = 'MARK missing'

    manifest['hostile'] = expect
    manifest['markers'] = markers
