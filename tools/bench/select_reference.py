#!/usr/bin/python3
"""Reference selections for tools/bench/select: the textbook numpy implementations users copy.

kcenter: farthest-first traversal in float32 with sklearn's pairwise_distances, one center at a
time (google's kCenterGreedy). badge: BADGE's current init_centers, whose distances factorise
over (p - onehot(pred)) and the embedding (JordanAsh/badge master; the older explicit
1,280-wide gradient embeddings were 10x slower), float32, with the D^2 draw done as quarry does
it (the same seeded proposals and acceptances), so the picks are comparable. Both start from
quarry's documented first pick.

usage: select_reference.py kcenter|badge SCORES.h5 --k K --seed S --out PICKS.npy [--draw D]
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


# quarry's batched D^2 draw (src/select/strategies/badge_draws.hpp), replayed here so the picks
# can be compared one by one: proposals from the masses frozen at each synchronisation (a race
# between blocks of rows, then between the rows of the chosen block), each accepted with
# probability (its D^2 now) / (its frozen bound).
BLOCK_STREAM, ROW_STREAM, ACCEPT_STREAM = 1 << 48, 2 << 48, 3 << 48


def race(keys, ids):
    """Index of the largest key, ties to the lower id (keys <= 0 never win)."""
    best = keys.max()
    return int(np.flatnonzero(keys == best)[np.argmin(ids[keys == best])])


def frozen_proposals(d2, ids, seed, first, count):
    n = len(d2)
    block = max(1024, -(-n // 512))
    largest = d2.max()
    scale = 2.0 ** (61 - (np.frexp(largest)[1] - 1) - 1 - int(n).bit_length())
    q = np.ceil(d2 * scale)
    blocks = np.add.reduceat(q.astype(np.uint64), np.arange(0, n, block)).astype(np.float64)
    bids = np.arange(len(blocks), dtype=np.uint64)
    out = []
    for g in range(first, first + count):
        u = item_uniform(seed, bids, BLOCK_STREAM + g)
        b = race(np.where(blocks > 0, blocks / -np.log(u), -np.inf), bids)
        rows = np.arange(b * block, min((b + 1) * block, n))
        u = item_uniform(seed, ids[rows], ROW_STREAM + g)
        keys = np.where(q[rows] > 0, q[rows] / -np.log(u), -np.inf)
        out.append((g, int(rows[race(keys, ids[rows])])))
    return out, q, scale


def badge(h, probs, pred, ids, k, seed, draw="quarry"):
    """BADGE's init_centers in its factored form (JordanAsh/badge master: `distance(X1, X2, mu)`
    over (p - onehot, |.|^2) and (embedding, |.|^2) pairs, one pass over every item per pick)."""
    a = probs.copy()
    a[np.arange(len(a)), pred] -= 1.0
    a2, h2 = (a * a).sum(axis=1), (h * h).sum(axis=1)

    def distance(i):
        return np.maximum(a2 * h2 + a2[i] * h2[i] - 2 * (a @ a[i]) * (h @ h[i]), 0).astype(float)

    first = int(np.argmax(a2 * h2))
    picks = [first]
    d2 = distance(first)
    d2[first] = 0
    if draw == "published":  # init_centers' own draw: scipy's rv_discrete, unseeded per item
        from scipy import stats

        rng = np.random.default_rng(seed)
        for _ in range(k - 1):
            custom = stats.rv_discrete(name="custm", values=(np.arange(len(d2)), d2 / d2.sum()))
            row = int(custom.rvs(size=1, random_state=rng)[0])
            while row in picks:
                row = int(custom.rvs(size=1, random_state=rng)[0])
            picks.append(row)
            d2 = np.minimum(d2, distance(row))
            d2[row] = 0
        return picks
    proposals = 0
    while len(picks) < k:
        count = min(max(len(picks), 8), 1024, 2 * (k - len(picks)) + 8)
        batch, q, scale = frozen_proposals(d2, ids, seed, proposals, count)
        proposals += count
        for g, row in batch:
            if len(picks) >= k:
                break
            if item_uniform(seed, ids[row:row + 1], ACCEPT_STREAM + g)[0] * q[row] < d2[row] * scale:
                picks.append(row)
                d2 = np.minimum(d2, distance(row))
                d2[row] = 0
    return picks


def main():
    p = argparse.ArgumentParser()
    p.add_argument("strategy", choices=["kcenter", "badge"])
    p.add_argument("scores")
    p.add_argument("--k", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    p.add_argument("--draw", choices=["quarry", "published"], default="quarry",
                   help="badge: quarry's seeded draw (picks comparable) or init_centers' own")
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
        rows = badge(emb, probs, pred, ids, a.k, a.seed, a.draw)
    seconds = time.perf_counter() - start
    np.save(a.out, ids[rows])
    print(f"{seconds:.3f}")


if __name__ == "__main__":
    main()
