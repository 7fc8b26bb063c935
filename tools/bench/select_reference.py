#!/usr/bin/python3
"""Reference selections for tools/bench/select: the textbook numpy implementations users copy.

kcenter: farthest-first traversal in float32 with sklearn's pairwise_distances, one center at a
time. badge: k-means++ seeding over explicit gradient embeddings (p - onehot(pred)) x h, float32,
with the D^2 draw done as quarry does it (an exponential race over the same seeded per-item
uniforms), so the picks are comparable. Both start from quarry's documented first pick.

usage: select_reference.py kcenter|badge SCORES.h5 --k K --seed S --out PICKS.npy
Prints the seconds spent selecting (loading excluded).
"""
import argparse
import time

import h5py
import numpy as np
from sklearn.metrics import pairwise_distances

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def mix64(x):
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def item_uniform(seed, ids, stream=0):
    """quarry's item_uniform(seed, id, stream): (53 hash bits + 0.5) / 2^53."""
    with np.errstate(over="ignore"):
        h = mix64(mix64(mix64(np.uint64(seed)) ^ ids) ^ np.uint64(stream))
    return ((h >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def kcenter(x, ids, k, seed):
    first = int(np.argmin(item_uniform(seed, ids)))
    picks = [first]
    min_d = pairwise_distances(x, x[[first]]).ravel()
    for _ in range(k - 1):
        idx = int(np.argmax(min_d))
        picks.append(idx)
        min_d = np.minimum(min_d, pairwise_distances(x, x[[idx]]).ravel())
    return picks


def badge(h, probs, pred, ids, k, seed):
    a = probs.copy()
    a[np.arange(len(a)), pred] -= 1.0
    g = (a[:, :, None] * h[:, None, :]).reshape(len(a), -1)  # explicit gradient embeddings
    first = int(np.argmax((g * g).sum(axis=1)))
    picks = [first]
    d2 = pairwise_distances(g, g[[first]]).ravel().astype(np.float64) ** 2
    taken = np.zeros(len(a), bool)
    taken[first] = True
    for step in range(1, k):
        key = d2 / -np.log(item_uniform(seed, ids, step))
        key[taken] = -np.inf
        idx = int(np.argmax(key))
        picks.append(idx)
        taken[idx] = True
        d2 = np.minimum(d2, pairwise_distances(g, g[[idx]]).ravel().astype(np.float64) ** 2)
    return picks


def main():
    p = argparse.ArgumentParser()
    p.add_argument("strategy", choices=["kcenter", "badge"])
    p.add_argument("scores")
    p.add_argument("--k", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    with h5py.File(a.scores, "r") as f:
        ids = f["ids"][:]
        emb = f["embeddings"][:].astype(np.float32)
        probs = f["probs"][:].astype(np.float32) if a.strategy == "badge" else None
        pred = f["pred"][:] if a.strategy == "badge" else None
    start = time.perf_counter()
    if a.strategy == "kcenter":
        rows = kcenter(emb, ids, a.k, a.seed)
    else:
        rows = badge(emb, probs, pred, ids, a.k, a.seed)
    seconds = time.perf_counter() - start
    np.save(a.out, ids[rows])
    print(f"{seconds:.3f}")


if __name__ == "__main__":
    main()
