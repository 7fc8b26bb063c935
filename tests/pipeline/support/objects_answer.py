"""Simulated answers to a workspace round's batch on a pool with objects: every item of the
round's selection answered with the pool's ground-truth objects by one annotator, written as
quarry ingest reads them (CSV with keypoint columns, or COCO annotations JSON).

    objects_answer.py POOL.h5 SELECTION.h5 OUT.csv|OUT.coco.json ANNOTATOR [--shift PIXELS]

--shift moves every box by that many pixels right (clamped to the image): a careless annotator
whose objects consensus and pre-label accounting see as adjusted.
"""
import argparse
import json

import h5py
import numpy as np


def decode(names):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in names]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pool")
    parser.add_argument("selection")
    parser.add_argument("out")
    parser.add_argument("annotator")
    parser.add_argument("--shift", type=float, default=0.0)
    args = parser.parse_args()

    pool = h5py.File(args.pool, "r")
    classes = decode(pool.attrs["classes"])
    keypoint_names = decode(pool.attrs["keypoint_names"]) if "keypoint_names" in pool.attrs else []
    width = pool["images"].shape[3]
    row_of = {int(i): r for r, i in enumerate(pool["ids"][()])}
    offsets = pool["objects/offsets"][()]
    boxes = pool["objects/boxes"][()].astype(np.float64)
    labels = pool["objects/labels"][()]
    points = pool["objects/keypoints"][()] if keypoint_names else None
    items = sorted(int(i) for i in h5py.File(args.selection, "r")["ids"][()])

    def objects(item):
        row = row_of[item]
        for o in range(offsets[row], offsets[row + 1]):
            x0, y0, x1, y1 = boxes[o]
            dx = min(args.shift, width - x1)
            yield (x0 + dx, y0, x1 + dx, y1), int(labels[o]), points[o] if points is not None else []

    if args.out.endswith(".coco.json"):
        images, annotations = [], []
        for item in items:
            images.append({"id": item, "file_name": f"{item}.png", "quarry_id": item})
            for (x0, y0, x1, y1), label, kps in objects(item):
                kp = [float(v) for p in kps for v in (p[0], p[1], int(p[2]))]
                annotation = {"id": len(annotations) + 1, "image_id": item,
                              "category_id": label + 1, "bbox": [x0, y0, x1 - x0, y1 - y0]}
                if keypoint_names:
                    annotation["keypoints"] = kp
                annotations.append(annotation)
        categories = [{"id": c + 1, "name": name, "keypoints": keypoint_names}
                      for c, name in enumerate(classes)]
        json.dump({"info": {"contributor": args.annotator}, "images": images,
                   "annotations": annotations, "categories": categories}, open(args.out, "w"))
        return
    columns = ["id", "annotator", "class", "x0", "y0", "x1", "y1"]
    columns += [f"{k}_{axis}" for k in keypoint_names for axis in ("x", "y", "v")]
    with open(args.out, "w") as out:
        out.write(",".join(columns) + "\n")
        for item in items:
            drawn = list(objects(item))
            if not drawn:  # an answer without objects: nothing there
                out.write(f"{item},{args.annotator}" + "," * (len(columns) - 2) + "\n")
            for (x0, y0, x1, y1), label, kps in drawn:
                cells = [item, args.annotator, classes[label], x0, y0, x1, y1]
                for p in kps:
                    cells += [p[0], p[1], int(p[2])] if p[2] > 0 else ["", "", 0]
                out.write(",".join(str(c) for c in cells) + "\n")


if __name__ == "__main__":
    main()
