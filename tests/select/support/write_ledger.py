#!/usr/bin/python3
"""Writes a label ledger in ingest's format (ledger/1) with the given ids, label 0 each, and
empty history, for select's CLI tests (select reads ledgers through ingest's reader).

usage: write_ledger.py OUT.h5 --ids 5,6,150 | --range FIRST,END,STEP  --classes a,b,c
"""
import argparse

import h5py
import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--ids", default="")
    p.add_argument("--range", default="")
    p.add_argument("--classes", required=True)
    a = p.parse_args()
    ids = [int(x) for x in a.ids.split(",") if x]
    if a.range:
        first, end, step = (int(x) for x in a.range.split(","))
        ids = list(range(first, end, step))
    strings = h5py.string_dtype()
    with h5py.File(a.out, "w") as f:
        n = len(ids)
        f["ids"] = np.array(sorted(ids), np.uint64)
        f["labels"] = np.zeros(n, np.int32)
        f["confidence"] = np.ones(n, np.float32)
        f["votes"] = np.ones(n, np.int32)
        f["round"] = np.ones(n, np.int32)
        f.create_dataset("source", data=["test"] * n, dtype=strings)
        history = f.create_group("history")
        for name, dtype in [("ids", np.uint64), ("labels", np.int32), ("confidence", np.float32),
                            ("votes", np.int32), ("round", np.int32),
                            ("replaced_in_round", np.int32), ("source", strings)]:
            history.create_dataset(name, shape=(0,), dtype=dtype)
        f.create_group("adjudicate").create_dataset("ids", shape=(0,), dtype=np.uint64)
        files = f.create_group("files")
        for name, dtype in [("name", strings), ("sha256", strings), ("round", np.int32)]:
            files.create_dataset(name, shape=(0,), dtype=dtype)
        annotations = f.create_group("annotations")
        for name, dtype in [("ids", np.uint64), ("annotator", np.int32), ("label", np.int32),
                            ("round", np.int32)]:
            annotations.create_dataset(name, shape=(0,), dtype=dtype)
        annotations.attrs.create("annotators", np.array([], dtype=object), dtype=strings)
        f.attrs["quarry_format"] = "ledger/1"
        f.attrs["classes"] = a.classes.split(",")
        f.attrs["rounds"] = np.int32(1)


if __name__ == "__main__":
    main()
