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
against an independent derivation. A part is skipped when its stamp (this script's hash) matches.
"""
import collections
import hashlib
import io
import json
import os
import pickle
import shutil
import struct
import sys
import zipfile

import torch
import torch.nn as nn

SCRIPT_HASH = hashlib.sha256(open(__file__, 'rb').read()).hexdigest()


def sha(t):
    return hashlib.sha256(t.detach().to(torch.float32).contiguous().numpy().tobytes()).hexdigest()


def describe(sd):
    """Expected tensors of a state dict, in order."""
    return [{'name': k, 'shape': list(v.shape), 'sha256': sha(v), 'dtype': str(v.dtype).replace('torch.', '')}
            for k, v in sd.items() if torch.is_tensor(v)]


def save_zip(obj, path, **kw):
    torch.save(obj, path, **kw)


def save_legacy(obj, path, **kw):
    torch.save(obj, path, _use_new_zipfile_serialization=False, **kw)


def rezip(src, dst, folder):
    """Copies a torch zip archive under another top folder, stored without torch's alignment."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            rest = info.filename.split('/', 1)[1]
            zout.writestr(folder + '/' + rest, zin.read(info.filename))


def force_zip64(src, dst):
    """Rewrites a zip so that every size and offset must be read from zip64 records: central
    directory fields set to 0xffffffff with a zip64 extra field, and an end record of 0xffff/0xffffffff
    that defers to the zip64 end record (what archives over 4 GiB look like)."""
    data = open(src, 'rb').read()
    eocd = data.rindex(b'PK\x05\x06')
    count, cd_size, cd_offset = struct.unpack('<HII', data[eocd + 10:eocd + 20])
    pos, central = cd_offset, b''
    for _ in range(count):
        fixed = bytearray(data[pos:pos + 46])
        name_len, extra_len, comment_len = struct.unpack('<HHH', fixed[28:34])
        csize, usize = struct.unpack('<II', fixed[20:28])
        offset = struct.unpack('<I', fixed[42:46])[0]
        name = data[pos + 46:pos + 46 + name_len]
        zip64 = struct.pack('<HHQQQ', 1, 24, usize, csize, offset)
        fixed[20:28] = struct.pack('<II', 0xffffffff, 0xffffffff)
        fixed[42:46] = struct.pack('<I', 0xffffffff)
        fixed[30:32] = struct.pack('<H', len(zip64))
        fixed[32:34] = struct.pack('<H', 0)
        central += bytes(fixed) + name + zip64
        pos += 46 + name_len + extra_len + comment_len
    body = data[:cd_offset]
    eocd64_at = len(body) + len(central)
    eocd64 = struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, count, count, len(central), len(body))
    locator = struct.pack('<IIQI', 0x07064b50, 0, eocd64_at, 1)
    end = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xffff, 0xffff, 0xffffffff, 0xffffffff, 0)
    open(dst, 'wb').write(body + central + eocd64 + locator + end)


# ----------------------------------------------------------------------------------------------
# Hand-written pickles: Python 2 opcodes, legacy storage views, hostile payloads.

class Ops:
    """Emits pickle opcodes one by one (what a Python 2 or hostile pickler would write)."""

    def __init__(self, proto=2):
        self.b = bytearray(b'\x80' + bytes([proto]) if proto >= 2 else b'')

    def raw(self, data):
        self.b += data
        return self

    def global_(self, module, name):
        return self.raw(b'c' + module.encode() + b'\n' + name.encode() + b'\n')

    def short_binstring(self, s):
        s = s.encode() if isinstance(s, str) else s
        return self.raw(b'U' + bytes([len(s)]) + s)

    def binstring(self, s):
        s = s.encode() if isinstance(s, str) else s
        return self.raw(b'T' + struct.pack('<i', len(s)) + s)

    def binunicode(self, s):
        s = s.encode('utf-8')
        return self.raw(b'X' + struct.pack('<I', len(s)) + s)

    def binint(self, i):
        if 0 <= i < 256:
            return self.raw(b'K' + bytes([i]))
        if 0 <= i < 65536:
            return self.raw(b'M' + struct.pack('<H', i))
        return self.raw(b'J' + struct.pack('<i', i))

    def int_tuple(self, values):
        self.raw(b'(')
        for v in values:
            self.binint(v)
        return self.raw(b't')

    def stop(self):
        return bytes(self.b + b'.')


MAGIC = 0x1950a86a20f9469cfc6c


def legacy_header(proto=2):
    out = io.BytesIO()
    pickle.dump(MAGIC, out, protocol=proto)
    pickle.dump(1001, out, protocol=proto)
    pickle.dump({'protocol_version': 1001, 'little_endian': True,
                 'type_sizes': {'short': 2, 'int': 4, 'long': 8}}, out, protocol=proto)
    return out.getvalue()


def write_legacy_by_hand(path, object_pickle, storages):
    """storages: list of (key, float32 tensor); written in key-list order as count + raw bytes."""
    with open(path, 'wb') as f:
        f.write(legacy_header())
        f.write(object_pickle)
        keys = Ops()
        keys.raw(b'](')
        for key, _ in storages:
            keys.binstring(key)
        keys.raw(b'e')
        f.write(keys.stop())
        for _, data in storages:
            f.write(struct.pack('<q', data.numel()))
            f.write(data.contiguous().numpy().tobytes())


def python2_state_dict_pickle(entries):
    """An OrderedDict of tensors as Python 2's cPickle wrote it for torch 0.3: py2 byte strings
    (SHORT_BINSTRING/BINSTRING), GLOBAL, memo BINPUT/BINGET, _rebuild_tensor (v1).
    entries: list of (name, storage key, numel, offset, size, stride)."""
    o = Ops()
    o.global_('collections', 'OrderedDict').raw(b'q\x00').raw(b')R').raw(b'q\x01').raw(b'(')
    memo = 2
    storage_cls_memo = None
    for i, (name, key, numel, offset, size, stride) in enumerate(entries):
        (o.binstring if i % 2 else o.short_binstring)(name)
        o.global_('torch._utils', '_rebuild_tensor').raw(b'q' + bytes([memo]))
        memo += 1
        o.raw(b'(')  # args tuple
        o.raw(b'(').short_binstring('storage')
        if storage_cls_memo is None:
            o.global_('torch', 'FloatStorage').raw(b'q' + bytes([memo]))
            storage_cls_memo = memo
            memo += 1
        else:
            o.raw(b'h' + bytes([storage_cls_memo]))
        o.short_binstring(key).short_binstring('cpu').binint(numel).raw(b'N').raw(b't').raw(b'Q')
        o.binint(offset).int_tuple(size).int_tuple(stride)
        o.raw(b't').raw(b'R')
    o.raw(b'u')
    return o.stop()


def legacy_view_pickle(entries, root_key, root_numel):
    """Object pickle whose persistent ids carry legacy view metadata (view_key, offset, size),
    as torch before 1.0 wrote them for tensors on storage slices.
    entries: list of (name, view key, view offset, view size, tensor offset, size, stride)."""
    o = Ops()
    o.raw(b'}').raw(b'(')
    for name, view_key, voff, vsize, offset, size, stride in entries:
        o.binunicode(name)
        o.global_('torch._utils', '_rebuild_tensor_v2')
        o.raw(b'(')
        o.raw(b'(').binunicode('storage').global_('torch', 'FloatStorage').binunicode(root_key)
        o.binunicode('cpu').binint(root_numel)
        o.binunicode(view_key).binint(voff).binint(vsize).raw(b'\x87')  # TUPLE3: view metadata
        o.raw(b't').raw(b'Q')
        o.binint(offset).int_tuple(size).int_tuple(stride).raw(b'\x89')  # requires_grad False
        o.global_('collections', 'OrderedDict').raw(b')R')  # backward hooks
        o.raw(b't').raw(b'R')
    o.raw(b'u')
    return o.stop()


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
    import subprocess
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
            import time
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


# ----------------------------------------------------------------------------------------------
# Formats: small state dicts in every serialization variant.

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


# ----------------------------------------------------------------------------------------------
# Layouts: full-size networks as each project defines them, with canonical names derived from
# module order.

VGG_CONVS = ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3',
             'conv4_1', 'conv4_2', 'conv4_3', 'conv5_1', 'conv5_2', 'conv5_3']
CONV_INDEX = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]  # torchvision's features indices


def canonical_names(arch, extras=False):
    """Canonical parameter prefixes in network order (featscale's naming, see canonical.h)."""
    names = ['features.%d' % i for i in CONV_INDEX]
    if arch == 'vgg16':
        return names + ['classifier.0', 'classifier.3', 'classifier.6']
    names += ['features.31', 'features.33']
    if extras:
        names += ['extras.%d' % i for i in range(8)]
    return names


def expected_by_module_order(modules, arch, extras=False, gamma=None):
    """modules: the network's conv/linear modules in forward order."""
    names = canonical_names(arch, extras)
    assert len(modules) == len(names), (len(modules), len(names))
    params = {}
    for prefix, m in zip(names, modules):
        params[prefix + '.weight'] = sha(m.weight)
        params[prefix + '.bias'] = sha(m.bias)
    return {'params': params, 'gamma': sha(gamma) if gamma is not None else None}


def convs_of(module):
    return [m for m in module.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def ssd_pytorch_vgg():
    """ssd.pytorch's base network: VGG16 'D' with ceil-mode pool3, pool5 3x3/1, dilated fc6, fc7."""
    layers, c = [], 3
    for v in [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'C', 512, 512, 512, 'M', 512, 512, 512]:
        if v == 'M':
            layers.append(nn.MaxPool2d(2, 2))
        elif v == 'C':
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
            c = v
    layers += [nn.MaxPool2d(3, 1, 1), nn.Conv2d(512, 1024, 3, padding=6, dilation=6), nn.ReLU(inplace=True),
               nn.Conv2d(1024, 1024, 1), nn.ReLU(inplace=True)]
    return nn.ModuleList(layers)


def ssd_extras():
    """SSD300's extra layers (conv8_1 ... conv11_2), as ssd.pytorch's add_extras builds them."""
    return nn.ModuleList([nn.Conv2d(1024, 256, 1), nn.Conv2d(256, 512, 3, 2, 1), nn.Conv2d(512, 128, 1),
                          nn.Conv2d(128, 256, 3, 2, 1), nn.Conv2d(256, 128, 1), nn.Conv2d(128, 256, 3),
                          nn.Conv2d(256, 128, 1), nn.Conv2d(128, 256, 3)])


class L2Norm(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.full((512,), 20.0))


def perturbed_gamma(seed):
    g = torch.Generator().manual_seed(seed)
    return 20.0 + 3.0 * torch.randn(512, generator=g)


class SsdPytorch(nn.Module):
    """ssd.pytorch's SSD300 module tree: vgg, L2Norm, extras, loc, conf (21 VOC classes)."""

    def __init__(self):
        super().__init__()
        self.vgg = ssd_pytorch_vgg()
        self.L2Norm = L2Norm()
        self.extras = ssd_extras()
        sources, boxes = [512, 1024, 512, 256, 256, 256], [4, 6, 6, 6, 4, 4]
        self.loc = nn.ModuleList([nn.Conv2d(c, b * 4, 3, padding=1) for c, b in zip(sources, boxes)])
        self.conf = nn.ModuleList([nn.Conv2d(c, b * 21, 3, padding=1) for c, b in zip(sources, boxes)])


class ConvModule(nn.Module):
    """mmcv's ConvModule without norm: the convolution lives at .conv."""

    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding)


class MmdetSsd(nn.Module):
    """mmdetection's SSD300 module tree: SSDVGG backbone (features + fc6/fc7 at 31/33), then either
    SSDNeck (mmdet >= 2.18: l2_norm, extra_layers of ConvModule pairs) or, before, the backbone's
    own l2_norm and extra; bbox_head with per-level conv lists (81 COCO classes)."""

    def __init__(self, new_style):
        super().__init__()
        self.backbone = nn.Module()
        self.backbone.features = nn.Sequential(*ssd_pytorch_vgg())
        if new_style:
            self.neck = nn.Module()
            self.neck.l2_norm = L2Norm()
            self.neck.extra_layers = nn.ModuleList([
                nn.Sequential(ConvModule(1024, 256, 1), ConvModule(256, 512, 3, 2, 1)),
                nn.Sequential(ConvModule(512, 128, 1), ConvModule(128, 256, 3, 2, 1)),
                nn.Sequential(ConvModule(256, 128, 1), ConvModule(128, 256, 3)),
                nn.Sequential(ConvModule(256, 128, 1), ConvModule(128, 256, 3))])
        else:
            self.backbone.l2_norm = L2Norm()
            self.backbone.extra = ssd_extras()
        sources, boxes = [512, 1024, 512, 256, 256, 256], [4, 6, 6, 6, 4, 4]
        self.bbox_head = nn.Module()
        self.bbox_head.cls_convs = nn.ModuleList(
            [nn.Sequential(nn.Conv2d(c, b * 81, 3, padding=1)) for c, b in zip(sources, boxes)])
        self.bbox_head.reg_convs = nn.ModuleList(
            [nn.Sequential(nn.Conv2d(c, b * 4, 3, padding=1)) for c, b in zip(sources, boxes)])

    def trunk(self):
        """Backbone and extra convolutions in forward order (the heads excluded)."""
        mods = convs_of(self.backbone.features)
        mods += convs_of(self.neck.extra_layers) if hasattr(self, 'neck') else convs_of(self.backbone.extra)
        return mods

    def gamma(self):
        return (self.neck.l2_norm if hasattr(self, 'neck') else self.backbone.l2_norm).weight


def randomize(module, seed):
    """Fast deterministic values (PyTorch's default init of 138M parameters is slow)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.05)


def layouts(out):
    import torchvision
    manifest = {'files': {}}
    files = manifest['files']

    # torchvision VGG16 (as vgg16-397923af.pth), fp16 to halve the 528 MB; and the same with the
    # classifier set to NaN, as torchvision ships ssd.pytorch's converted backbone (vgg16_features).
    vgg = torchvision.models.vgg16()
    randomize(vgg, 10)
    vgg = vgg.half()
    sd = vgg.state_dict()
    save_legacy(sd, os.path.join(out, 'tv_vgg16_legacy_fp16.pth'))
    files['tv_vgg16_legacy_fp16.pth'] = expected_by_module_order(convs_of(vgg), 'vgg16')
    nan_sd = collections.OrderedDict(sd)
    for k in nan_sd:
        if k.startswith('classifier.'):
            nan_sd[k] = torch.full_like(nan_sd[k], float('nan'))
    save_zip(nan_sd, os.path.join(out, 'tv_vgg16_features_fp16.pth'))
    expect = {'params': {}, 'gamma': None}
    for index, m in zip(CONV_INDEX, convs_of(vgg.features)):
        expect['params']['features.%d.weight' % index] = sha(m.weight)
        expect['params']['features.%d.bias' % index] = sha(m.bias)
    files['tv_vgg16_features_fp16.pth'] = expect
    del vgg, sd, nan_sd

    # ssd.pytorch: the backbone alone (vgg16_reducedfc.pth, legacy, fp32) and the full SSD300.
    base = ssd_pytorch_vgg()
    randomize(base, 11)
    save_legacy(base.state_dict(), os.path.join(out, 'ssdpt_backbone_legacy.pth'))
    files['ssdpt_backbone_legacy.pth'] = expected_by_module_order(convs_of(base), 'vgg16-reduced')
    # The same backbone as a TorchScript module (fp16 to save space).
    class Backbone(nn.Module):
        def __init__(self, layers):
            super().__init__()
            self.vgg = layers

        def forward(self, x):
            for layer in self.vgg:
                x = layer(x)
            return x
    scripted = Backbone(base).half()
    torch.jit.script(scripted).save(os.path.join(out, 'ssdpt_backbone_script_fp16.pt'))
    files['ssdpt_backbone_script_fp16.pt'] = expected_by_module_order(convs_of(scripted.vgg), 'vgg16-reduced')
    del base, scripted

    ssd = SsdPytorch()
    randomize(ssd, 12)
    with torch.no_grad():
        ssd.L2Norm.weight.copy_(perturbed_gamma(13))
    ssd = ssd.half()
    save_zip(ssd.state_dict(), os.path.join(out, 'ssdpt_ssd300_fp16.pth'))
    files['ssdpt_ssd300_fp16.pth'] = expected_by_module_order(
        convs_of(ssd.vgg) + convs_of(ssd.extras), 'vgg16-reduced', True, ssd.L2Norm.weight)
    # Trained with nn.DataParallel: every key prefixed by "module.", inside a checkpoint dict.
    dp = collections.OrderedDict(('module.' + k, v) for k, v in ssd.state_dict().items())
    save_zip({'model': dp, 'epoch': 120}, os.path.join(out, 'ssdpt_dataparallel_fp16.pth'))
    files['ssdpt_dataparallel_fp16.pth'] = files['ssdpt_ssd300_fp16.pth']
    # The same network under names no rule knows: matched by order and shape.
    renamed = collections.OrderedDict()
    layer_names = VGG_CONVS + ['fc6', 'fc7'] + ['conv%d_%d' % (8 + i // 2, 1 + i % 2) for i in range(8)]
    trunk = convs_of(ssd.vgg) + convs_of(ssd.extras)
    for i, m in enumerate(trunk):
        renamed['net.%s.w' % layer_names[i]] = m.weight
        renamed['net.%s.b' % layer_names[i]] = m.bias
        if layer_names[i] == 'conv4_3':
            renamed['net.conv4_3_L2Norm.gamma'] = ssd.L2Norm.weight
    save_zip(renamed, os.path.join(out, 'by_order_ssd_fp16.pth'))
    files['by_order_ssd_fp16.pth'] = files['ssdpt_ssd300_fp16.pth']
    # Convolutions only, unknown names: the architecture is left to the caller's hint.
    conv_only = collections.OrderedDict()
    for i, m in enumerate(convs_of(ssd.vgg)[:13]):
        conv_only['block%d.w' % i] = m.weight
        conv_only['block%d.b' % i] = m.bias
    save_zip(conv_only, os.path.join(out, 'by_order_convs_fp16.pth'))
    files['by_order_convs_fp16.pth'] = {
        'params': {k: v for k, v in files['ssdpt_ssd300_fp16.pth']['params'].items()
                   if k.startswith('features.') and k.split('.')[1] not in ('31', '33')}, 'gamma': None}
    # The same convolutions with one shape out of order: must fail, naming the position.
    broken = collections.OrderedDict(conv_only)
    broken['block9.w'] = torch.zeros(256, 512, 3, 3, dtype=torch.float16)
    save_zip(broken, os.path.join(out, 'by_order_mismatch_fp16.pth'))
    # featscale's canonical names for a reduced VGG16 with extras and gamma (bfloat16).
    canon = collections.OrderedDict()
    for prefix, m in zip(canonical_names('vgg16-reduced', True), trunk):
        canon[prefix + '.weight'] = m.weight.bfloat16()
        canon[prefix + '.bias'] = m.bias.bfloat16()
    canon['L2Norm.weight'] = ssd.L2Norm.weight.bfloat16()
    save_zip(canon, os.path.join(out, 'canonical_reduced_bf16.pth'))
    files['canonical_reduced_bf16.pth'] = {
        'params': {k: sha(v) for k, v in canon.items() if k != 'L2Norm.weight'},
        'gamma': sha(canon['L2Norm.weight'])}
    del ssd, dp, renamed, conv_only, broken, canon, trunk

    # torchvision ssd300_vgg16 with a non-uniform learned scale_weight (fp32, zip).
    tv = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None)
    randomize(tv, 14)
    with torch.no_grad():
        tv.backbone.scale_weight.copy_(perturbed_gamma(15))
    save_zip(tv.state_dict(), os.path.join(out, 'tv_ssd300.pth'))
    files['tv_ssd300.pth'] = expected_by_module_order(
        convs_of(tv.backbone), 'vgg16-reduced', True, tv.backbone.scale_weight)
    del tv

    # mmdetection SSD300 checkpoints, both generations, fp16, in mmcv's checkpoint dict.
    for new_style, name in ((True, 'mmdet_ssd300_fp16.pth'), (False, 'mmdet_ssd300_old_fp16.pth')):
        m = MmdetSsd(new_style)
        randomize(m, 16 + new_style)
        with torch.no_grad():
            m.gamma().copy_(perturbed_gamma(18 + new_style))
        m = m.half()
        ckpt = {'meta': {'mmdet_version': '2.25.0' if new_style else '2.10.0', 'epoch': 24,
                         'CLASSES': ('person', 'bicycle'), 'config': 'model = dict(type="SingleStageDetector")'},
                'state_dict': m.state_dict(),
                'optimizer': {'state': {}, 'param_groups': [{'lr': 0.002, 'params': [0, 1]}]}}
        save_zip(ckpt, os.path.join(out, name))
        files[name] = expected_by_module_order(m.trunk(), 'vgg16-reduced', True, m.gamma())
        del m, ckpt
    return manifest


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ('formats', 'layouts'):
        sys.exit(__doc__)
    part = sys.argv[2]
    out = os.path.join(os.path.abspath(sys.argv[1]), part)
    stamp = os.path.join(out, 'stamp')
    if os.path.exists(stamp) and open(stamp).read() == SCRIPT_HASH:
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
        f.write(SCRIPT_HASH)
    print('wrote', out)


if __name__ == '__main__':
    main()
