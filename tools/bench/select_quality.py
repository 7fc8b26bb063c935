#!/usr/bin/python3
"""What a selection buys, for choosing the default strategy (tools/bench/select): the batch's mean
acquisition value (uncertainty; higher = more informative), its covering radius over the whole
pool (diversity; lower = the batch represents the pool better), and how many of the pool's
blobs (make_scores.py's /blob, the true clusters) it touches.

usage: select_quality.py SCORES.h5 SELECTION.h5 [--acquisition margin]
Prints: mean_acquisition covering_radius blobs
"""
import argparse

import h5py
import numpy as np
from sklearn.metrics import pairwise_distances_argmin_min


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scores")
    p.add_argument("selection")
    p.add_argument("--acquisition", default="margin")
    a = p.parse_args()
    with h5py.File(a.scores, "r") as f:
        ids = f["ids"][:]
        emb = f["embeddings"][:].astype(np.float32)
        acq = f["scores"][a.acquisition][:]
        blob = f["blob"][:]
    with h5py.File(a.selection, "r") as f:
        picked = f["ids"][:]
    rows = np.searchsorted(ids, picked)  # bench pools have ascending ids
    assert np.array_equal(ids[rows], picked)
    _, dist = pairwise_distances_argmin_min(emb, emb[rows])
    print(f"{acq[rows].mean():.4f} {dist.max():.3f} {len(np.unique(blob[rows]))}")


if __name__ == "__main__":
    main()
