# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers shared by the PyTorch fixture writers: checksums, torch.save in both serializations,
zip rewriting, and hand-written pickle opcodes (Python 2 era and legacy layouts)."""
import hashlib
import io
import pickle
import struct
import zipfile

import torch


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
