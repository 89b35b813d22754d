#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference pixels for the torchvision preset's resize: what torchvision.transforms.Resize does
to a PIL image (PIL's bilinear resampling), on the bundled photos and on noise images, shrinking,
enlarging and both at once; and torchvision's output size for Resize(N) ("short:N").

Writes OUT_DIR/manifest.json and, per case, the input image and the resized RGB bytes (.u8).
Exits 77 (reported as skipped by ctest) when PIL is missing.

Usage: make_pil_resize.py OUT_DIR SAMPLE_IMAGE...
"""
import json
import os
import sys

try:
    import numpy as np
    from PIL import Image
    import torchvision.transforms as T
except ImportError as e:  # pragma: no cover
    reason = f"{e} (install python3-pil and python3-torchvision)"
    os.makedirs(sys.argv[1], exist_ok=True)
    with open(os.path.join(sys.argv[1], "manifest.json"), "w") as f:
        json.dump({"skipped": reason}, f)
    print("SKIP:", reason)
    sys.exit(77)


def main():
    out_dir, photos = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(13)
    inputs = list(photos)
    for w, h in [(37, 23), (11, 50), (120, 9)]:
        path = os.path.join(out_dir, f"noise_{w}x{h}.png")
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(path)
        inputs.append(path)
    cases = []
    for path in inputs:
        img = Image.open(path).convert("RGB")
        w, h = img.size
        # square sizes as featscale's "N" asks them (Resize((N, N))), torchvision's Resize(N)
        # for "short:N", and explicit sizes that shrink one side while enlarging the other
        specs = [("300", (300, 300)), ("97", (97, 97)), ("short:256", 256), ("short:301", 301),
                 ("short:40", 40), (None, (max(1, h // 3), w * 2)), (None, (h * 3 + 1, max(1, w // 5)))]
        for spec, size in specs:
            resized = T.Resize(size, interpolation=T.InterpolationMode.BILINEAR)(img)
            stem = f"{os.path.splitext(os.path.basename(path))[0]}_{len(cases)}"
            ref = os.path.join(out_dir, stem + ".u8")
            np.asarray(resized, dtype=np.uint8).tofile(ref)
            cases.append({"image": path, "spec": spec, "width": resized.size[0], "height": resized.size[1],
                          "reference": ref})
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=1)
    print(len(cases), "resize cases")


if __name__ == "__main__":
    main()
