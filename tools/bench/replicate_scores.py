#!/usr/bin/python3
"""Grows a real model's scores file (quarry score) to N items for the selection benchmark: item i
copies item i mod n, its embedding shifted by seeded Gaussian noise of `--shift` times each
dimension's spread (so copies are near, not equal: no exact ties), probabilities, predictions and
acquisition scores kept. `--drift D` moves every embedding by a further D times the spread (seeded
apart) and names another model: a later round's model, whose embeddings moved a little, for
cluster-margin's warm start.

usage: replicate_scores.py IN.h5 OUT.h5 --n N [--shift F] [--drift D] [--seed S] [--chunk R]
"""
import argparse

import h5py
import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("inp")
    p.add_argument("out")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--shift", type=float, default=0.05)
    p.add_argument("--drift", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--chunk", type=int, default=8192)
    a = p.parse_args()
    with h5py.File(a.inp, "r") as src, h5py.File(a.out, "w") as dst:
        emb = src["embeddings"][:].astype(np.float32)
        base = len(emb)
        spread = emb.std(axis=0) + 1e-6
        rows = np.arange(a.n) % base
        chunk = min(a.chunk, a.n)
        dst.create_dataset("ids", data=np.arange(a.n, dtype=np.uint64), chunks=(chunk,))
        for name in ("pred", "probs"):
            data = src[name][:][rows]
            dst.create_dataset(name, data=data, chunks=(chunk,) + data.shape[1:])
        out = dst.create_dataset("embeddings", (a.n, emb.shape[1]), np.float16,
                                 chunks=(chunk, emb.shape[1]))
        shift = np.random.default_rng(a.seed)
        drift = np.random.default_rng(a.seed + 1_000_003)
        step = 1 << 17
        for lo in range(0, a.n, step):  # in slices: a million rows need no float64 copy
            hi = min(a.n, lo + step)
            moved = emb[rows[lo:hi]] + shift.normal(0.0, a.shift, (hi - lo, emb.shape[1])) * spread
            if a.drift:
                moved += drift.normal(0.0, a.drift, moved.shape) * spread
            out[lo:hi] = moved.astype(np.float16)
        g = dst.create_group("scores")
        for name in src["scores"]:
            g.create_dataset(name, data=src["scores"][name][:][rows], chunks=(chunk,))
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        dst.attrs["pool_items"] = np.uint64(a.n)
        if a.drift:
            dst.attrs["model_sha256"] = "d" + str(src.attrs["model_sha256"])[1:]


if __name__ == "__main__":
    main()
