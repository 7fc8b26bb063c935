"""The reference a user would write: score a pool with h5py and torch in a plain loop.

Loads the TorchScript model, reads the pool in batches with h5py, converts to float, runs the
model, takes the softmax, the prediction and the margin, and writes them to an HDF5 file.
usage: score_python.py POOL.h5 MODEL.pt OUT.h5 ITEMS THREADS [BATCH]
"""
import sys
import time

import h5py
import numpy as np
import torch

pool_path, model_path, out_path = sys.argv[1:4]
items, threads = int(sys.argv[4]), int(sys.argv[5])
batch = int(sys.argv[6]) if len(sys.argv) > 6 else 256
torch.set_num_threads(threads)

start = time.time()
model = torch.jit.load(model_path).eval()
with h5py.File(pool_path, "r") as pool, h5py.File(out_path, "w") as out:
    images = pool["images"]
    n = min(items, images.shape[0])
    classes = len(pool.attrs["classes"])
    probs_out = out.create_dataset("probs", (n, classes), np.float16)
    pred_out = out.create_dataset("pred", (n,), np.int32)
    margin_out = out.create_dataset("margin", (n,), np.float32)
    with torch.inference_mode():
        for first in range(0, n, batch):
            x = torch.from_numpy(images[first:min(first + batch, n)].astype(np.float32))
            logits = model(x)
            if isinstance(logits, tuple):
                logits = logits[0]
            probs = torch.softmax(logits, 1)
            top2 = probs.topk(2, 1).values
            last = first + x.shape[0]
            probs_out[first:last] = probs.numpy().astype(np.float16)
            pred_out[first:last] = probs.argmax(1).numpy()
            margin_out[first:last] = (1 - (top2[:, 0] - top2[:, 1])).numpy()
elapsed = time.time() - start
print(f"{n} {elapsed:.3f}")
