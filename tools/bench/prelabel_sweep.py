"""Pre-label threshold sweep for tools/bench/prelabel-threshold.

Usage: prelabel_sweep.py QUARRY POOL.h5 EXPORT_DIR WORK_DIR NAME

The ground truth is the pool's /objects, written as COCO with the export's image ids (its images
carry quarry_id); the detections are the export's coco/prelabels.json (exported with threshold
0, so every stored detection). For each threshold and each category, `quarry eval` matches the
detections at or above it to the truth (COCO's greedy matching by score); its recall at IoU 0.5
times the category's truths is the number kept (TP). Pool and export share their pixels (no
/source), so boxes compare as they are.
"""
import json
import os
import subprocess
import sys

import h5py

quarry, pool_path, export_dir, work, name = sys.argv[1:6]
os.makedirs(work, exist_ok=True)
annotation_dir = os.path.join(export_dir, "coco/annotations")
annotations = json.load(open(os.path.join(annotation_dir, os.listdir(annotation_dir)[0])))
image_of = {image["quarry_id"]: image["id"] for image in annotations["images"]}
results = json.load(open(os.path.join(export_dir, "coco/prelabels.json")))

with h5py.File(pool_path, "r") as pool:
    ids = pool["ids"][:]
    offsets = pool["objects/offsets"][:]
    boxes = pool["objects/boxes"][:]
    labels = pool["objects/labels"][:]
    classes = [c.decode() if isinstance(c, bytes) else c for c in pool.attrs["classes"]]
truth = []
for row, item in enumerate(ids):
    for o in range(offsets[row], offsets[row + 1]):
        x0, y0, x1, y1 = (float(v) for v in boxes[o])
        truth.append({"id": len(truth) + 1, "image_id": image_of[int(item)],
                      "category_id": int(labels[o]) + 1, "bbox": [x0, y0, x1 - x0, y1 - y0],
                      "area": (x1 - x0) * (y1 - y0), "iscrowd": 0})


def kept(threshold, category):
    """Detections of `category` at or above `threshold`, and how many of them match a truth."""
    mine = [r for r in results if r["category_id"] == category and r["score"] >= threshold]
    gt = [t for t in truth if t["category_id"] == category]
    if not mine or not gt:
        return len(mine), 0
    gt_path, results_path = os.path.join(work, "gt.json"), os.path.join(work, "results.json")
    json.dump({"images": annotations["images"], "annotations": gt,
               "categories": [{"id": category, "name": classes[category - 1]}]}, open(gt_path, "w"))
    json.dump([{k: r[k] for k in ("image_id", "category_id", "bbox", "score")} for r in mine],
              open(results_path, "w"))
    out = subprocess.run([quarry, "eval", "--coco-truth", gt_path, "--coco-results", results_path,
                          "--json"], check=True, capture_output=True, text=True).stdout
    recall = json.loads(out)["recall_per_iou"][0]  # IoU 0.5
    return len(mine), round(recall * len(gt))


truths = len(truth)
print(f"{name}: {len(ids)} test images, {truths} objects, {len(results)} detections stored "
      f"(score --min-confidence 0.05)")
print(f"{'threshold':>9} {'shown':>6} {'kept':>6} {'deleted':>7} {'missed':>6} "
      f"{'precision':>9} {'recall':>6} {'F1':>6} {'corrections':>11}")
rows = []
for step in range(1, 20):
    t = step * 0.05
    shown = tp = 0
    for category in range(1, len(classes) + 1):
        n, k = kept(t, category)
        shown, tp = shown + n, tp + k
    p = tp / shown if shown else 0.0
    r = tp / truths if truths else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    corrections = (shown - tp) + (truths - tp)
    rows.append((t, f1, corrections))
    print(f"{t:9.2f} {shown:6d} {tp:6d} {shown - tp:7d} {truths - tp:6d} {p:9.3f} {r:6.3f} "
          f"{f1:6.3f} {corrections:11d}")
best_f1 = max(rows, key=lambda row: (row[1], -row[0]))
fewest = min(rows, key=lambda row: (row[2], row[0]))
print(f"{name}: F1 highest at threshold {best_f1[0]:.2f} ({best_f1[1]:.3f}); fewest corrections "
      f"at {fewest[0]:.2f} ({fewest[2]})")
