#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the Caffe, ONNX and Keras weight files the format tests read, plus the reference they are
checked against. Run with Debian's /usr/bin/python3 (python3-torch, -torchvision, -onnx, -h5py).

  make_fixtures.py OUTDIR PHOTO

Reference (OUTDIR/manifest.txt), one line per expected tensor:
  <fixture file> <canonical name> <shape AxBx..> <sha256 of the float32 little-endian C-order bytes>
computed here, in numpy, from the source arrays after the documented transposes (HWIO -> OIHW,
Keras fc1 rows (h, w, c) -> torch columns (c, h, w), in x out -> out x in) — independently of the C++
readers. OUTDIR/pool5.f32 is a random pool5 tensor (512x7x7, CHW); OUTDIR/<fixture>.fc6.f32 is fc6 on
it computed the way the source framework computes it (Keras: flatten HWC, x @ kernel + b; Caffe:
InnerProduct on the CHW blob; ONNX: Gemm semantics from the stored initializers).

OUTDIR/photo_parity.json: torchvision's own per-layer channel-norm maps on PHOTO for the same weights
(torchvision.models.vgg16 for the VGG16 files; torchvision's ssd300_vgg16 backbone, extras and learned
scale_weight included, for the SSD300 caffemodel), with preprocessing done as featscale does it.

The full-size VGG16 files (~550 MB each) are written once per build tree: OUTDIR/stamp holds this
script's sha256 and the run is skipped when it matches.
"""
import hashlib
import json
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "support"))
from protobuf_wire import field_bytes, field_str, field_varint, varint  # noqa: E402

OUT = sys.argv[1]
PHOTO = sys.argv[2]
MANIFEST = []

CONVS = [  # (caffe name, keras name, torchvision index, in, out)
    ("conv1_1", "block1_conv1", 0, 3, 64), ("conv1_2", "block1_conv2", 2, 64, 64),
    ("conv2_1", "block2_conv1", 5, 64, 128), ("conv2_2", "block2_conv2", 7, 128, 128),
    ("conv3_1", "block3_conv1", 10, 128, 256), ("conv3_2", "block3_conv2", 12, 256, 256),
    ("conv3_3", "block3_conv3", 14, 256, 256), ("conv4_1", "block4_conv1", 17, 256, 512),
    ("conv4_2", "block4_conv2", 19, 512, 512), ("conv4_3", "block4_conv3", 21, 512, 512),
    ("conv5_1", "block5_conv1", 24, 512, 512), ("conv5_2", "block5_conv2", 26, 512, 512),
    ("conv5_3", "block5_conv3", 28, 512, 512)]
EXTRAS = [("conv6_1", 1024, 256, 1), ("conv6_2", 256, 512, 3), ("conv7_1", 512, 128, 1),
          ("conv7_2", 128, 256, 3), ("conv8_1", 256, 128, 1), ("conv8_2", 128, 256, 3),
          ("conv9_1", 256, 128, 1), ("conv9_2", 128, 256, 3)]


def path(name):
    return os.path.join(OUT, name)


def f32(a):
    return np.ascontiguousarray(a, dtype="<f4")


def expect(fixture, name, array):
    a = f32(array)
    shape = "x".join(str(d) for d in a.shape) if a.ndim else "scalar"
    MANIFEST.append(f"{fixture} {name} {shape} {hashlib.sha256(a.tobytes()).hexdigest()}")


def write_atomic(name, data):
    tmp = path(name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path(name))


# ---------------------------------------------------------------- protobuf wire format: tests/support/protobuf_wire.py
def caffe_blob(array, legacy=False, unpacked=False):
    a = f32(array)
    if legacy:  # Caffe before BlobShape: num, channels, height, width (leading 1s)
        dims = [1] * (4 - a.ndim) + list(a.shape)
        msg = b"".join(field_varint(i + 1, d) for i, d in enumerate(dims))
    else:
        msg = field_bytes(7, b"".join(field_varint(1, d) for d in a.shape))  # BlobShape.dim, unpacked
    if unpacked:
        msg += b"".join(varint((5 << 3) | 5) + struct.pack("<f", v) for v in a.ravel())
    else:
        msg += field_bytes(5, a.tobytes())
    return msg


def caffe_layer_v2(name, type_, blobs=(), bottom=None, top=None):
    msg = field_str(1, name) + field_str(2, type_)
    if bottom:
        msg += field_str(3, bottom)
    msg += field_str(4, top or name)
    for b in blobs:
        msg += field_bytes(7, b)
    return field_bytes(100, msg)


V1_TYPES = {"Convolution": 4, "InnerProduct": 14, "ReLU": 18, "Pooling": 17, "Data": 5}


def caffe_layer_v1(name, type_, blobs=(), bottom=None):
    msg = b""
    if bottom:
        msg += field_str(2, bottom)
    msg += field_str(3, name) + field_str(4, name) + field_varint(5, V1_TYPES[type_])
    for b in blobs:
        msg += field_bytes(6, b)
    return field_bytes(2, msg)


# ---------------------------------------------------------------- source weights
def vgg16_state():
    import torch
    import torchvision
    torch.manual_seed(20160318)
    model = torchvision.models.vgg16()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):  # torchvision zeroes biases; random ones test their mapping too
                p.copy_(torch.randn_like(p) * 0.1)
    model.eval()
    return model, {k: v.numpy().copy() for k, v in model.state_dict().items()}


def reduced_state(rng):
    sd = {}
    for _, _, idx, cin, cout in CONVS:
        sd[f"features.{idx}.weight"] = rng.standard_normal((cout, cin, 3, 3), dtype=np.float32) * 0.05
        sd[f"features.{idx}.bias"] = rng.standard_normal(cout, dtype=np.float32) * 0.1
    sd["features.31.weight"] = rng.standard_normal((1024, 512, 3, 3), dtype=np.float32) * 0.02
    sd["features.31.bias"] = rng.standard_normal(1024, dtype=np.float32) * 0.1
    sd["features.33.weight"] = rng.standard_normal((1024, 1024, 1, 1), dtype=np.float32) * 0.03
    sd["features.33.bias"] = rng.standard_normal(1024, dtype=np.float32) * 0.1
    for i, (_, cin, cout, k) in enumerate(EXTRAS):
        sd[f"extras.{i}.weight"] = rng.standard_normal((cout, cin, k, k), dtype=np.float32) * 0.05
        sd[f"extras.{i}.bias"] = rng.standard_normal(cout, dtype=np.float32) * 0.1
    sd["L2Norm.weight"] = (20 + rng.standard_normal(512) * 3).astype(np.float32)  # learned, non-uniform
    return sd


# ---------------------------------------------------------------- Caffe
def write_caffe_vgg16(sd, pool5):
    name = "caffe_vgg16_v2.caffemodel"
    net = field_str(1, "VGG_ILSVRC_16_layers") + caffe_layer_v2("data", "Input", top="data")
    bottom = "data"
    for caffe, _, idx, _, _ in CONVS:
        w, b = sd[f"features.{idx}.weight"], sd[f"features.{idx}.bias"]
        net += caffe_layer_v2(caffe, "Convolution", [caffe_blob(w), caffe_blob(b)], bottom)
        net += caffe_layer_v2("relu" + caffe[4:], "ReLU", bottom=caffe, top=caffe)
        expect(name, f"features.{idx}.weight", w)
        expect(name, f"features.{idx}.bias", b)
        bottom = caffe
    for caffe, idx in (("fc6", 0), ("fc7", 3), ("fc8", 6)):
        w, b = sd[f"classifier.{idx}.weight"], sd[f"classifier.{idx}.bias"]
        net += caffe_layer_v2(caffe, "InnerProduct", [caffe_blob(w), caffe_blob(b)], bottom)
        expect(name, f"classifier.{idx}.weight", w)
        expect(name, f"classifier.{idx}.bias", b)
        bottom = caffe
    write_atomic(name, net)
    # Caffe's InnerProduct flattens the (C, H, W) blob: y = W x + b.
    W, b = sd["classifier.0.weight"].astype(np.float64), sd["classifier.0.bias"].astype(np.float64)
    f32(W @ pool5.reshape(-1).astype(np.float64) + b).tofile(path(name + ".fc6.f32"))


def write_caffe_reduced_v1(sd):
    """VGG_ILSVRC_16_layers_fc_reduced as an old V1 ('layers') file: legacy 4-D blob dims, biases
    stored as unpacked repeated floats."""
    name = "caffe_reduced_v1.caffemodel"
    net = field_str(1, "VGG_ILSVRC_16_layers_fc_reduced") + caffe_layer_v1("data", "Data")
    for caffe, _, idx, _, _ in CONVS + [("fc6", "", 31, 0, 0), ("fc7", "", 33, 0, 0)]:
        w, b = sd[f"features.{idx}.weight"], sd[f"features.{idx}.bias"]
        net += caffe_layer_v1(caffe, "Convolution",
                              [caffe_blob(w, legacy=True), caffe_blob(b, legacy=True, unpacked=True)])
        net += caffe_layer_v1("relu" + caffe[4:], "ReLU")
        expect(name, f"features.{idx}.weight", w)
        expect(name, f"features.{idx}.bias", b)
    write_atomic(name, net)


def write_caffe_ssd300(sd, rng):
    """A full SSD300 caffemodel: backbone, conv4_3_norm (Normalize), extras in Caffe SSD naming, and
    mbox heads that the reader must skip."""
    name = "caffe_ssd300_v2.caffemodel"
    net = field_str(1, "VGG_VOC0712_SSD_300x300_train")
    for caffe, _, idx, _, _ in CONVS + [("fc6", "", 31, 0, 0), ("fc7", "", 33, 0, 0)]:
        w, b = sd[f"features.{idx}.weight"], sd[f"features.{idx}.bias"]
        net += caffe_layer_v2(caffe, "Convolution", [caffe_blob(w), caffe_blob(b)])
        expect(name, f"features.{idx}.weight", w)
        expect(name, f"features.{idx}.bias", b)
        if caffe == "conv4_3":
            net += caffe_layer_v2("conv4_3_norm", "Normalize", [caffe_blob(sd["L2Norm.weight"])])
            expect(name, "L2Norm.conv4_3.weight", sd["L2Norm.weight"])  # featscale's name of conv4_3's gamma
            loc = rng.standard_normal((16, 512, 3, 3), dtype=np.float32)
            net += caffe_layer_v2("conv4_3_norm_mbox_loc", "Convolution",
                                  [caffe_blob(loc), caffe_blob(np.zeros(16, np.float32))])
    for i, (caffe, _, _, _) in enumerate(EXTRAS):
        w, b = sd[f"extras.{i}.weight"], sd[f"extras.{i}.bias"]
        net += caffe_layer_v2(caffe, "Convolution", [caffe_blob(w), caffe_blob(b)])
        expect(name, f"extras.{i}.weight", w)
        expect(name, f"extras.{i}.bias", b)
    conf = rng.standard_normal((84, 256, 3, 3), dtype=np.float32)
    net += caffe_layer_v2("conv9_2_mbox_conf", "Convolution", [caffe_blob(conf), caffe_blob(np.zeros(84, np.float32))])
    write_atomic(name, net)


# ---------------------------------------------------------------- ONNX
def write_onnx_torch(model, sd, pool5):
    import onnx
    import torch
    from onnx import numpy_helper
    name = "onnx_vgg16_torch.onnx"
    tmp = path(name + ".tmp")
    torch.onnx.export(model, torch.zeros(1, 3, 224, 224), tmp, opset_version=13)
    os.replace(tmp, path(name))
    for k, v in sd.items():
        expect(name, k, v)
    # fc6 as the ONNX graph computes it: Gemm(x, B, C) with the stored initializers.
    g = onnx.load(path(name)).graph
    inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    gemm = next(n for n in g.node if n.op_type == "Gemm")
    trans_b = next((a.i for a in gemm.attribute if a.name == "transB"), 0)
    B, C = inits[gemm.input[1]].astype(np.float64), inits[gemm.input[2]].astype(np.float64)
    x = pool5.reshape(1, -1).astype(np.float64)
    f32((x @ (B.T if trans_b else B) + C).reshape(-1)).tofile(path(name + ".fc6.f32"))


def write_onnx_by_order(rng):
    """A small graph in the style of converted model-zoo files: arbitrary initializer names, fc6 as
    Gemm with transB=0 (in x out), fc7 as MatMul + Add, fc8 as Gemm transB=1, one conv weight behind
    an Identity node, one in a Constant node, one bias as float_data, one weight as float16."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    name = "onnx_tiny_by_order.onnx"
    nodes, inits = [], []
    x = "data"
    cin = 3
    for i, (_, _, idx, _, _) in enumerate(CONVS):
        cout = 4 + i
        w = rng.standard_normal((cout, cin, 3, 3), dtype=np.float32)
        b = rng.standard_normal(cout, dtype=np.float32)
        wn, bn = f"vgg0_conv{i}_weight", f"vgg0_conv{i}_bias"
        if i == 2:
            nodes.append(helper.make_node("Constant", [], [wn], value=numpy_helper.from_array(w, "c")))
        elif i == 4:
            inits.append(numpy_helper.from_array(w, wn + "_src"))
            nodes.append(helper.make_node("Identity", [wn + "_src"], [wn]))
        elif i == 6:
            w16 = w.astype(np.float16)
            inits.append(numpy_helper.from_array(w16, wn))
            w = w16.astype(np.float32)
        else:
            inits.append(numpy_helper.from_array(w, wn))
        if i == 8:
            inits.append(helper.make_tensor(bn, TensorProto.FLOAT, [cout], b.tolist()))  # float_data
        else:
            inits.append(numpy_helper.from_array(b, bn))
        nodes.append(helper.make_node("Conv", [x, wn, bn], [f"conv{i}"], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"conv{i}"], [f"relu{i}"]))
        x = f"relu{i}"
        expect(name, f"features.{idx}.weight", w)
        expect(name, f"features.{idx}.bias", b)
        cin = cout
    nodes.append(helper.make_node("Flatten", [x], ["flat"]))
    fin = cin  # after a global pool in a real net; shapes need not run here
    w6 = rng.standard_normal((fin, 32), dtype=np.float32)  # in x out (transB = 0)
    b6 = rng.standard_normal(32, dtype=np.float32)
    inits += [numpy_helper.from_array(w6, "dense0_weight"), numpy_helper.from_array(b6, "dense0_bias")]
    nodes.append(helper.make_node("Gemm", ["flat", "dense0_weight", "dense0_bias"], ["fc6"], transB=0))
    w7 = rng.standard_normal((32, 24), dtype=np.float32)
    b7 = rng.standard_normal(24, dtype=np.float32)
    inits += [numpy_helper.from_array(w7, "dense1_weight"), numpy_helper.from_array(b7, "dense1_bias")]
    nodes.append(helper.make_node("MatMul", ["fc6", "dense1_weight"], ["fc7mm"]))
    nodes.append(helper.make_node("Add", ["dense1_bias", "fc7mm"], ["fc7"]))
    w8 = rng.standard_normal((10, 24), dtype=np.float32)  # out x in (transB = 1)
    b8 = rng.standard_normal(10, dtype=np.float32)
    inits += [numpy_helper.from_array(w8, "dense2_weight"), numpy_helper.from_array(b8, "dense2_bias")]
    nodes.append(helper.make_node("Gemm", ["fc7", "dense2_weight", "dense2_bias"], ["fc8"], transB=1))
    expect(name, "classifier.0.weight", w6.T)
    expect(name, "classifier.0.bias", b6)
    expect(name, "classifier.3.weight", w7.T)
    expect(name, "classifier.3.bias", b7)
    expect(name, "classifier.6.weight", w8)
    expect(name, "classifier.6.bias", b8)
    graph = helper.make_graph(nodes, "vgg0", [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 224, 224])],
                              [helper.make_tensor_value_info("fc8", TensorProto.FLOAT, [1, 10])], inits)
    write_atomic(name, helper.make_model(graph).SerializeToString())


# ---------------------------------------------------------------- Keras
def keras_arrays(sd, with_top):
    """Keras VGG16 weights from torch ones: HWIO kernels, in x out dense kernels, fc1 rows in (h, w, c)."""
    layers = []
    for _, keras, idx, _, _ in CONVS:
        layers.append((keras, sd[f"features.{idx}.weight"].transpose(2, 3, 1, 0), sd[f"features.{idx}.bias"]))
    if with_top:
        w6 = sd["classifier.0.weight"].reshape(4096, 512, 7, 7).transpose(2, 3, 1, 0).reshape(25088, 4096)
        layers.append(("fc1", w6, sd["classifier.0.bias"]))
        layers.append(("fc2", sd["classifier.3.weight"].T, sd["classifier.3.bias"]))
        layers.append(("predictions", sd["classifier.6.weight"].T, sd["classifier.6.bias"]))
    return [(n, f32(w), f32(b)) for n, w, b in layers]


def write_keras(name, sd, keras_version, with_top, model_group=False):
    import h5py
    layers = keras_arrays(sd, with_top)
    tmp = path(name + ".tmp")
    with h5py.File(tmp, "w") as f:
        root = f
        if model_group:  # model.save(): weights under model_weights/, plus optimizer state to ignore
            root = f.create_group("model_weights")
            f.create_dataset("optimizer_weights/block1_conv1/block1_conv1/kernel:0",
                             data=np.ones((3, 3, 3, 64), np.float32))
        names = ["input_1"] + [n for n, _, _ in layers]
        root.attrs["layer_names"] = np.array([n.encode() for n in names])
        root.attrs["keras_version"] = keras_version.encode()
        root.attrs["backend"] = b"tensorflow"
        root.create_group("input_1").attrs["weight_names"] = np.array([], dtype="S1")
        for lname, w, b in layers:
            g = root.create_group(lname)
            if keras_version.startswith("1"):
                wn, bn = f"{lname}_W_1:0", f"{lname}_b_1:0"
            else:
                wn, bn = f"{lname}/kernel:0", f"{lname}/bias:0"
            g.attrs["weight_names"] = np.array([wn.encode(), bn.encode()])
            g.create_dataset(wn, data=w)
            g.create_dataset(bn, data=b)
    os.replace(tmp, path(name))
    for k, v in sd.items():
        if with_top or k.startswith("features."):
            expect(name, k, v)


def keras_fc6(sd, pool5, name):
    """fc6 as Keras computes it: Flatten of the (h, w, c) pool5, then x @ kernel + b."""
    layers = dict((n, (w, b)) for n, w, b in keras_arrays(sd, True))
    w, b = layers["fc1"]
    x = pool5.transpose(1, 2, 0).reshape(-1).astype(np.float64)
    f32(x @ w.astype(np.float64) + b).tofile(path(name + ".fc6.f32"))


# ---------------------------------------------------------------- torchvision norm maps on a photo
def preprocess(preset, size):
    """Each preset's reference pipeline to a size x size input: a torchvision user's for
    `torchvision` (PIL decode, transforms.Resize, ToTensor, Normalize), Caffe SSD's for `caffe`
    (cv2 decode, INTER_LINEAR resize, BGR minus mean)."""
    import cv2
    import torch
    if preset == "torchvision":
        from PIL import Image
        import torchvision.transforms as T
        pipeline = T.Compose([T.Resize((size, size)), T.ToTensor(),
                              T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
        return pipeline(Image.open(PHOTO).convert("RGB"))[None]
    bgr = cv2.imread(PHOTO, cv2.IMREAD_COLOR)
    bgr = cv2.resize(bgr, (size, size), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    x = bgr - np.array([104, 117, 123], dtype=np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]


def save_maps(stem, maps):
    layers = {}
    for name, t in maps.items():
        m = t[0].double().square().sum(0).sqrt().float().numpy()
        f = f"{stem}_{name}.f32"
        f32(m).tofile(path(f))
        layers[name] = {"file": f, "height": int(m.shape[0]), "width": int(m.shape[1])}
    return layers


def vgg16_photo_maps(model):
    """torchvision.models.vgg16 itself, tapped after the ReLUs of conv1_2 ... conv5_3 and fc7."""
    import torch
    taps = {3: "conv1_2", 15: "conv3_3", 22: "conv4_3", 29: "conv5_3", 30: "pool5"}
    x = preprocess("torchvision", 224)
    out = {}
    with torch.no_grad():
        h = x
        for i, m in enumerate(model.features):
            h = m(h)
            if i in taps:
                out[taps[i]] = h
        f = model.classifier[:5](torch.flatten(model.avgpool(h), 1))  # fc6, relu, dropout, fc7, relu
        out["fc7"] = f[:, :, None, None]
    return save_maps("photo_vgg16", out)


def ssd300_photo_maps(sd):
    """torchvision's SSD300 VGG16 backbone with the fixture's weights: its six source maps are
    L2Norm(conv4_3) (learned scale_weight), fc7, conv8_2, conv9_2, conv10_2, conv11_2."""
    import torch
    import torchvision
    backbone = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None).backbone.eval()
    convs = [m for m in backbone.modules() if isinstance(m, torch.nn.Conv2d)]
    names = [f"features.{i}" for _, _, i, _, _ in CONVS] + ["features.31", "features.33"] + \
            [f"extras.{i}" for i in range(8)]
    assert len(convs) == len(names)
    with torch.no_grad():
        for c, n in zip(convs, names):
            c.weight.copy_(torch.from_numpy(sd[n + ".weight"]))
            c.bias.copy_(torch.from_numpy(sd[n + ".bias"]))
        backbone.scale_weight.copy_(torch.from_numpy(sd["L2Norm.weight"]))
        sources = list(backbone(preprocess("caffe", 300)).values())
    keys = ["conv4_3_l2norm", "fc7", "conv8_2", "conv9_2", "conv10_2", "conv11_2"]
    return save_maps("photo_ssd300", dict(zip(keys, sources)))


# ---------------------------------------------------------------- hostile files
def write_hostile():
    import h5py
    import onnx
    from onnx import TensorProto, helper
    # A blob that claims 2^30 x 2^30 x 3 x 3 values and holds 4.
    blob = field_bytes(7, b"".join(field_varint(1, d) for d in (1 << 30, 1 << 30, 3, 3)))
    blob += field_bytes(5, f32(np.ones(4)).tobytes())
    write_atomic("hostile_absurd_dims.caffemodel", field_str(1, "x") + caffe_layer_v2("conv1_1", "Convolution", [blob]))
    # A length prefix far beyond the end of the file.
    write_atomic("hostile_huge_length.caffemodel", varint((100 << 3) | 2) + varint(1 << 40) + b"\0" * 16)
    # ONNX initializer claiming 2^20 x 2^20 floats with 16 bytes of raw data.
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 20, 1 << 20], raw_data=b"\0" * 16)
    graph = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])], [], [t])
    write_atomic("hostile_absurd_dims.onnx", helper.make_model(graph).SerializeToString())
    # ONNX initializer whose data lives in an external file (a path inside the weight file).
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4])
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", "../../../../etc/passwd"
    graph = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])], [], [t])
    write_atomic("hostile_external.onnx", helper.make_model(graph).SerializeToString())
    # Keras: fc1 claims its full shape, chunked, with no chunk ever written (no bytes behind it);
    # and an integer kernel.
    with h5py.File(path("hostile_unbacked.h5"), "w") as f:
        f.create_dataset("block1_conv1/block1_conv1/kernel:0", shape=(3, 3, 3, 64), dtype="f4", chunks=(3, 3, 3, 64))
        f.create_dataset("block1_conv1/block1_conv1/bias:0", data=np.zeros(64, np.float32))
    with h5py.File(path("hostile_int_kernel.h5"), "w") as f:
        f.create_dataset("block1_conv1/block1_conv1/kernel:0", data=np.zeros((3, 3, 3, 64), np.int32))
        f.create_dataset("block1_conv1/block1_conv1/bias:0", data=np.zeros(64, np.float32))
    with h5py.File(path("hostile_theano.h5"), "w") as f:
        f.create_dataset("block1_conv1/block1_conv1_W:0", data=np.zeros((64, 3, 3, 3), np.float32))
        f.create_dataset("block1_conv1/block1_conv1_b:0", data=np.zeros(64, np.float32))


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(__file__, "rb") as f, open(PHOTO, "rb") as g:
        me = hashlib.sha256(f.read() + g.read()).hexdigest()
    stamp = path("stamp")
    if os.path.exists(stamp) and open(stamp).read().strip() == me:
        print("fixtures up to date:", OUT)
        return
    if os.path.exists(stamp):
        os.remove(stamp)
    rng = np.random.default_rng(20151129)
    pool5 = np.maximum(rng.standard_normal((512, 7, 7), dtype=np.float32) * 3, 0).astype(np.float32)
    f32(pool5).tofile(path("pool5.f32"))

    model, sd = vgg16_state()
    write_caffe_vgg16(sd, pool5)
    write_onnx_torch(model, sd, pool5)
    write_keras("keras1_vgg16.h5", sd, "1.2.2", with_top=True)
    keras_fc6(sd, pool5, "keras1_vgg16.h5")
    write_keras("keras2_vgg16_model.h5", sd, "2.2.4", with_top=True, model_group=True)
    keras_fc6(sd, pool5, "keras2_vgg16_model.h5")
    write_keras("keras2_vgg16_notop.h5", sd, "2.2.4", with_top=False)
    parity = {"image": os.path.abspath(PHOTO), "cases": []}
    vgg_maps = vgg16_photo_maps(model)
    for f in ("caffe_vgg16_v2.caffemodel", "onnx_vgg16_torch.onnx", "keras1_vgg16.h5", "keras2_vgg16_model.h5"):
        parity["cases"].append({"weights": f, "preset": "torchvision", "size": 224, "layers": vgg_maps})
    del model, sd

    red = reduced_state(rng)
    write_caffe_reduced_v1(red)
    write_caffe_ssd300(red, rng)
    write_onnx_by_order(rng)
    parity["cases"].append({"weights": "caffe_ssd300_v2.caffemodel", "preset": "caffe", "size": 300,
                            "layers": ssd300_photo_maps(red)})
    write_atomic("photo_parity.json", json.dumps(parity, indent=1).encode())
    write_hostile()

    write_atomic("manifest.txt", ("\n".join(MANIFEST) + "\n").encode())
    write_atomic("stamp", (me + "\n").encode())
    print("fixtures written:", OUT)


if __name__ == "__main__":
    main()
