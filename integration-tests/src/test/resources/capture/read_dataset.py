# Reads a captured dataset that `skopeo copy ... dir:DS` wrote, as a training job would: NumPy and
# the JSON Lines index, nothing of Ferry. Prints one JSON line per sample with its tensors' values.
import json
import pathlib
import sys

import numpy as np

DTYPES = {"BOOL": "bool", "UINT8": "uint8", "INT8": "int8", "INT16": "int16", "INT32": "int32",
          "INT64": "int64", "FP32": "float32", "FP64": "float64"}

ds = pathlib.Path(sys.argv[1])
manifest = json.loads((ds / "manifest.json").read_text())
files = {layer["annotations"]["org.cncf.model.filepath"]: ds / layer["digest"].split(":")[1]
         for layer in manifest["layers"]}
for line in files["index.jsonl"].read_text().splitlines():
    sample = json.loads(line)
    tensors = []
    for t in sample["tensors"]:
        a = np.load(files[t["file"]])  # allow_pickle stays off: plain arrays only
        assert str(a.dtype) == DTYPES[t["datatype"]], (t, str(a.dtype))
        assert list(a.shape) == t["shape"], (t, a.shape)
        tensors.append({"name": t["name"], "output": t["output"],
                        "values": [float(v) for v in a.ravel()]})
    print(json.dumps({"sample": sample["sample"], "failed": sample["failed"], "tensors": tensors}))
