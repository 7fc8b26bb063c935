"""The reference a user would write: score a pool with h5py and torch in a plain loop.

Loads the TorchScript model, reads the pool in batches with h5py, converts to float, runs the
model and writes to an HDF5 file:
  - a classifier (logits or (logits, embedding)): the softmax, the prediction and the margin;
  - a detector (a dict with boxes, scores, labels, probs): the detections at or above 0.05 as a
    ragged table (offsets, boxes, labels, confidence) and per image the confidence-weighted mean
    margin of its detections (quarry's det_margin_mean).
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


def classify(output, out, first, n, classes):
    if first == 0:
        out.create_dataset("probs", (n, classes), np.float16)
        out.create_dataset("pred", (n,), np.int32)
        out.create_dataset("margin", (n,), np.float32)
    logits = output[0] if isinstance(output, tuple) else output
    probs = torch.softmax(logits, 1)
    top2 = probs.topk(2, 1).values
    last = first + logits.shape[0]
    out["probs"][first:last] = probs.numpy().astype(np.float16)
    out["pred"][first:last] = probs.argmax(1).numpy()
    out["margin"][first:last] = (1 - (top2[:, 0] - top2[:, 1])).numpy()


def detect(output, out, first, n, table):
    if first == 0:
        out.create_dataset("det_margin_mean", (n,), np.float32)
    scores = output["scores"]
    keep = scores >= 0.05
    weights = torch.where(keep, scores, torch.zeros_like(scores))
    probs = output["probs"]
    top2 = probs.topk(2, 2).values if probs.shape[2] > 1 else torch.cat([probs, 0 * probs], 2)
    margin = 1 - (top2[..., 0] - top2[..., 1])
    per_image = (weights * margin).sum(1) / weights.sum(1).clamp_min(1e-12)
    out["det_margin_mean"][first:first + scores.shape[0]] = per_image.numpy()
    for i in range(scores.shape[0]):
        kept = keep[i].nonzero().flatten()
        kept = kept[scores[i, kept].argsort(descending=True)]
        table["boxes"].append(output["boxes"][i, kept].numpy())
        table["labels"].append(output["labels"][i, kept].numpy().astype(np.int32))
        table["confidence"].append(scores[i, kept].numpy().astype(np.float16))
        table["offsets"].append(table["offsets"][-1] + len(kept))


start = time.time()
model = torch.jit.load(model_path).eval()
with h5py.File(pool_path, "r") as pool, h5py.File(out_path, "w") as out:
    images = pool["images"]
    n = min(items, images.shape[0])
    classes = len(pool.attrs["classes"])
    table = {"offsets": [0], "boxes": [], "labels": [], "confidence": []}
    with torch.inference_mode():
        for first in range(0, n, batch):
            x = torch.from_numpy(images[first:min(first + batch, n)].astype(np.float32))
            output = model(x)
            if isinstance(output, dict) and "boxes" in output:
                detect(output, out, first, n, table)
            else:
                classify(output, out, first, n, classes)
    if len(table["offsets"]) > 1:
        out["detections/offsets"] = np.array(table["offsets"], np.uint64)
        for name in ("boxes", "labels", "confidence"):
            out["detections/" + name] = np.concatenate(table[name])
elapsed = time.time() - start
print(f"{n} {elapsed:.3f}")
