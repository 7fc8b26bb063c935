#!/usr/bin/python3
"""Writes a quarry scores file (scores/1) with Gaussian-blob fp16 embeddings, softmax
probabilities and acquisition scores, for selection tests and benchmarks without a model.

usage: make_scores.py OUT.h5 --n N --dim D [--classes C] [--blobs B] [--seed S] [--first-id I]
       [--chunk R] [--nan-ids ID,...] [--nan-margin-ids ID,...] [--no-embeddings]
       [--hard-fraction F]
"""
import argparse

import h5py
import numpy as np


def blobs(n, dim, classes, blobs, seed, first_id, hard_fraction=0.0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, 4.0, (blobs, dim)).astype(np.float32)
    blob = rng.integers(0, blobs, n)
    emb = np.empty((n, dim), np.float16)
    step = 1 << 18
    for lo in range(0, n, step):  # in slices: a million rows never need float64 copies
        hi = min(n, lo + step)
        emb[lo:hi] = (centers[blob[lo:hi]] + rng.normal(0.0, 1.0, (hi - lo, dim))).astype(np.float16)
    logits = rng.normal(0.0, 1.0, (n, classes)).astype(np.float32)
    # The model is sure of most blobs; the first hard_fraction of them sit on a decision boundary,
    # so uncertain items crowd into a few regions (what diversity-aware selection is for).
    hard = blob < hard_fraction * blobs
    low, high = np.where(hard, 0.0, 3.0 if hard_fraction else 0.0), np.where(hard, 0.3, 6.0 if hard_fraction else 4.0)
    logits[np.arange(n), blob % classes] += rng.uniform(low, high).astype(np.float32)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    top2 = np.sort(probs, axis=1)[:, -2:]
    scores = {
        "margin": (1.0 - (top2[:, 1] - top2[:, 0])).astype(np.float32),
        "least_confidence": (1.0 - top2[:, 1]).astype(np.float32),
        "entropy": (-(probs * np.log(np.maximum(probs, 1e-12))).sum(axis=1)).astype(np.float32),
    }
    ids = first_id + np.arange(n, dtype=np.uint64)
    scores_out = (ids, emb, probs.astype(np.float16), probs.argmax(axis=1).astype(np.int32), scores)
    return scores_out, blob.astype(np.int32)


def write(path, ids, emb, probs, pred, scores, chunk, classes, blob):
    n = len(ids)
    chunk = max(1, min(chunk, n))
    with h5py.File(path, "w") as f:
        f.create_dataset("ids", data=ids, chunks=(chunk,))
        f.create_dataset("pred", data=pred, chunks=(chunk,))
        f.create_dataset("probs", data=probs, chunks=(chunk, probs.shape[1]))
        if emb.shape[1]:
            f.create_dataset("embeddings", data=emb, chunks=(chunk, emb.shape[1]))
        else:
            f.create_dataset("embeddings", data=emb)
        f.create_dataset("blob", data=blob)  # not in the contract: the truth, for select_quality.py
        g = f.create_group("scores")
        for name, values in scores.items():
            g.create_dataset(name, data=values, chunks=(chunk,))
        f.attrs["quarry_format"] = "scores/1"
        f.attrs["classes"] = [f"class{c}" for c in range(classes)]
        f.attrs["acquisitions"] = list(scores)
        f.attrs["pool"] = "synthetic"
        f.attrs["pool_items"] = np.uint64(n)
        f.attrs["model"] = "synthetic"
        f.attrs["model_sha256"] = "0" * 64
        f.attrs["ranks"] = np.int32(1)
        f.attrs["mc_samples"] = np.int32(0)
        f.attrs["quarry_version"] = "bench"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--blobs", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--first-id", type=int, default=0)
    p.add_argument("--chunk", type=int, default=4096)
    p.add_argument("--nan-ids", default="")
    p.add_argument("--nan-margin-ids", default="")
    p.add_argument("--no-embeddings", action="store_true")
    p.add_argument("--hard-fraction", type=float, default=0.0)
    a = p.parse_args()
    (ids, emb, probs, pred, scores), blob = blobs(a.n, a.dim, a.classes, a.blobs, a.seed,
                                                  a.first_id, a.hard_fraction)
    for text in filter(None, a.nan_ids.split(",")):
        emb[int(text) - a.first_id, 0] = np.float16("nan")
    for text in filter(None, a.nan_margin_ids.split(",")):
        scores["margin"][int(text) - a.first_id] = np.float32("nan")
    if a.no_embeddings:
        emb = np.zeros((a.n, 0), np.float16)
    write(a.out, ids, emb, probs, pred, scores, a.chunk, a.classes, blob)


if __name__ == "__main__":
    main()
