#!/usr/bin/env python3
"""Request bodies and the output check of side-by-side.sh (python3 with numpy).

  side-by-side.py bodies INPUT OUTPUT N,C,H,W PREFIX
      writes PREFIX.json (OIP JSON, the output named, as some servers require),
      PREFIX.bin and PREFIX.bin.header (OIP binary tensor data extension: a JSON header, then the
      input's little-endian bytes; the header's length goes in Inference-Header-Content-Length)
      and PREFIX.npz (numpy's npz, one array named INPUT), all holding the same numbers: the
      synthetic image of the Java benchmarks (BenchModel#data), pixel values 0-255 scaled to
      [-1, 1].
  side-by-side.py check OUTPUT REFERENCE ANSWER...
      compares the output OUTPUT of each answer with REFERENCE's and exits 1 when any element
      differs by more than 1e-4. An answer is a file: OIP JSON (*.json), an OIP binary answer
      (*.bin, its JSON header's length in *.bin.header) or npz (*.npz).
"""
import io
import json
import sys

import numpy as np

TOLERANCE = 1e-4


def image(shape):
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    pixels = (((i * 7) ^ (i >> 9)) & 255).astype(np.float32)
    return (pixels / np.float32(127.5) - np.float32(1)).reshape(shape)


def bodies(input_name, output, shape_text, prefix):
    shape = [int(d) for d in shape_text.split(",")]
    x = image(shape)
    dims = json.dumps(shape).replace(" ", "")
    numbers = ",".join(str(v) for v in x.ravel())  # float32's shortest form, as Java's Float
    with open(prefix + ".json", "w") as f:
        f.write('{"inputs":[{"name":"%s","datatype":"FP32","shape":%s,"data":[%s]}],'
                '"outputs":[{"name":"%s"}]}' % (input_name, dims, numbers, output))
    header = ('{"parameters":{"binary_data_output":true},"inputs":[{"name":"%s","datatype":"FP32",'
              '"shape":%s,"parameters":{"binary_data_size":%d}}]}'
              % (input_name, dims, x.nbytes)).encode()
    with open(prefix + ".bin", "wb") as f:
        f.write(header + x.astype("<f4").tobytes())
    with open(prefix + ".bin.header", "w") as f:
        f.write(str(len(header)))
    npz = io.BytesIO()
    np.savez(npz, **{input_name: x})
    with open(prefix + ".npz", "wb") as f:
        f.write(npz.getvalue())


def output_of(path, name):
    if path.endswith(".npz"):
        return np.load(path)[name].ravel()
    if path.endswith(".bin"):
        with open(path + ".header") as f:
            length = int(f.read().strip())
        with open(path, "rb") as f:
            raw = f.read()
        offset = length
        for out in json.loads(raw[:length])["outputs"]:
            size = out["parameters"]["binary_data_size"]
            if out["name"] == name:
                return np.frombuffer(raw[offset:offset + size], dtype="<f4")
            offset += size
        raise SystemExit("%s: no output %s" % (path, name))
    with open(path) as f:
        for out in json.load(f)["outputs"]:
            if out["name"] == name:
                return np.asarray(out["data"], dtype=np.float32).ravel()
    raise SystemExit("%s: no output %s" % (path, name))


def check(name, reference, answers):
    expected = output_of(reference, name)
    worst = 0.0
    for answer in answers:
        got = output_of(answer, name)
        if got.shape != expected.shape:
            raise SystemExit("%s: %d elements, %s has %d" % (answer, got.size, reference,
                                                             expected.size))
        diff = float(np.max(np.abs(got - expected)))
        print("  %s vs %s: %d elements, max |difference| %.3g" % (answer, reference, got.size,
                                                                  diff))
        worst = max(worst, diff)
    if worst > TOLERANCE:
        raise SystemExit("outputs differ by more than %g" % TOLERANCE)


if __name__ == "__main__":
    if sys.argv[1:2] == ["bodies"] and len(sys.argv) == 6:
        bodies(*sys.argv[2:])
    elif sys.argv[1:2] == ["check"] and len(sys.argv) >= 5:
        check(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        raise SystemExit(__doc__)
