#!/usr/bin/python3
"""A simulated annotator for the export round trips: reads one format's pre-labels from a quarry
export of a pool with objects, edits them as two people would, and writes what the tool hands
back (the tool's own output format), plus the boxes it wrote, mapped by the pool's own
/source/transform into pool pixels (stored = original * scale + offset), for the test to compare
with the ledger. Needs numpy and h5py (/usr/bin/python3).

    adjust_prelabels.py FORMAT EXPORT POOL OUT_PREFIX

Edits, in pixels of the image the annotator saw:
  ann  moves every pre-labelled box 3 px right (and its keypoints 1 px right): adjusted
  bob  keeps the pre-labels of items 7 and 12 as they are; on item 20 deletes the pre-label and
       draws a box of its own at (9, 1)-(14, 6)
Writes OUT_PREFIX-ann.* and OUT_PREFIX-bob.* in the format's files, and OUT_PREFIX-expected.json:
{"annotator/id": [[x0, y0, x1, y1], ...]} in pool pixels.
"""
import copy
import json
import sys
import xml.etree.ElementTree as ET

import h5py

fmt, export, pool_path, prefix = sys.argv[1:5]
SHIFT, POINT_SHIFT = 3.0, 1.0
DRAWN = [9.0, 1.0, 14.0, 6.0]  # bob's own box on item 20

with h5py.File(pool_path, "r") as pool:
    ids = [int(i) for i in pool["ids"][:]]
    transform = {item: [float(v) for v in t] for item, t in zip(ids, pool["source/transform"][:])}
expected = {}


def to_pool(item, box):
    scale, dx, dy = transform[item]
    return [box[0] * scale + dx, box[1] * scale + dy, box[2] * scale + dx, box[3] * scale + dy]


def edit(annotator, item, boxes):
    """The boxes (x0, y0, x1, y1, in the annotator's image) this annotator hands back for an
    item whose pre-labels are `boxes`; records them for the test."""
    if annotator == "ann":
        out = [[b[0] + SHIFT, b[1], b[2] + SHIFT, b[3]] for b in boxes]
    elif item == 20:
        out = [list(DRAWN)]
    else:
        out = [list(b) for b in boxes]
    expected[f"{annotator}/{item}"] = [to_pool(item, b) for b in out]
    return out


def label_studio():
    tasks = json.load(open(f"{export}/label-studio/tasks.json"))
    for user, annotator in ((1, "ann"), (2, "bob")):
        done = []
        for task in tasks:
            item = task["data"]["quarry_id"]
            result = task["predictions"][0]["result"]
            boxes = [r for r in result if r["type"] == "rectanglelabels"]
            pixels = []
            for r in boxes:
                v, w, h = r["value"], r["original_width"], r["original_height"]
                pixels.append([v["x"] * w / 100, v["y"] * h / 100, (v["x"] + v["width"]) * w / 100,
                               (v["y"] + v["height"]) * h / 100])
            edited = edit(annotator, item, pixels)
            if annotator == "bob" and item == 20:
                w, h = boxes[0]["original_width"], boxes[0]["original_height"]
                x0, y0, x1, y1 = edited[0]
                out = [dict(boxes[0], id="drawn", value=dict(
                    boxes[0]["value"], x=100 * x0 / w, y=100 * y0 / h, width=100 * (x1 - x0) / w,
                    height=100 * (y1 - y0) / h))]
                out[0].pop("score", None)
            else:
                out = copy.deepcopy(result)
                for r in out:
                    r.pop("score", None)
                    if annotator == "ann":
                        r["value"]["x"] += 100 * (SHIFT if r["type"] == "rectanglelabels"
                                                  else POINT_SHIFT) / r["original_width"]
            done.append({"id": task["id"], "data": task["data"],
                         "annotations": [{"id": 100 * user + task["id"], "completed_by": user,
                                          "was_cancelled": False, "result": out}]})
        json.dump(done, open(f"{prefix}-{annotator}.json", "w"))


def cvat():
    for annotator in ("ann", "bob"):
        tree = ET.parse(f"{export}/cvat/annotations.xml")
        root = tree.getroot()
        task = root.find("meta/task")
        ET.SubElement(ET.SubElement(task, "assignee"), "username").text = annotator
        for image in root.iter("image"):
            item = int(image.get("name")[len("images/"):-len(".png")])
            shapes = list(image)
            boxes = [[float(b.get(k)) for k in ("xtl", "ytl", "xbr", "ybr")]
                     for b in image.iter("box")]
            edited = edit(annotator, item, boxes)
            if annotator == "bob" and item == 20:
                for shape in shapes:
                    image.remove(shape)
                ET.SubElement(image, "box", {"label": "head", "source": "manual", "occluded": "0",
                                             "xtl": "9.00", "ytl": "1.00", "xbr": "14.00",
                                             "ybr": "6.00", "z_order": "0", "group_id": "1"})
                continue
            for box, new in zip(image.iter("box"), edited):
                for key, value in zip(("xtl", "ytl", "xbr", "ybr"), new):
                    box.set(key, f"{value:.2f}")
                box.set("source", "manual" if annotator == "ann" else "auto")
            for point in image.iter("points"):
                if annotator == "ann" and point.get("outside") != "1":
                    x, y = (float(v) for v in point.get("points").split(","))
                    point.set("points", f"{x + POINT_SHIFT:.2f},{y:.2f}")
        tree.write(f"{prefix}-{annotator}.xml", encoding="utf-8", xml_declaration=True)


def sagemaker():
    # An adjustment job's output manifest keeps the input's keys (the pre-labels under
    # quarry-prelabels, human-annotated "no") and adds the job's own label attribute, here
    # "round1-boxes": it sorts after "quarry-prelabels", so a reader that took the first
    # attribute of type groundtruth/object-detection would read the pre-labels as the answers.
    lines = [json.loads(line) for line in open(f"{export}/sagemaker/manifest.jsonl")]
    for annotator in ("ann", "bob"):
        with open(f"{prefix}-{annotator}.jsonl", "w") as out:
            for line in lines:
                item = line["quarry-id"]
                earlier = line["quarry-prelabels"]
                boxes = [[a["left"], a["top"], a["left"] + a["width"], a["top"] + a["height"]]
                         for a in earlier["annotations"]]
                edited = edit(annotator, item, boxes)
                meta = line["quarry-prelabels-metadata"]
                line = dict(line)
                line["round1-boxes"] = {
                    "image_size": earlier["image_size"],
                    "annotations": [{"class_id": 0, "left": int(b[0]), "top": int(b[1]),
                                     "width": int(b[2] - b[0]), "height": int(b[3] - b[1])}
                                    for b in edited]}
                line["round1-boxes-metadata"] = {
                    "objects": [{"confidence": 0.9} for _ in edited],
                    "class-map": meta["class-map"], "type": "groundtruth/object-detection",
                    "human-annotated": "yes", "creation-date": "2026-12-06T09:00:00.000000",
                    "job-name": f"labeling-job/{annotator}",
                    "adjustment-status": "adjusted" if annotator == "ann" else "unadjusted"}
                out.write(json.dumps(line) + "\n")


def coco():
    import os
    folder = f"{export}/coco/annotations"
    source = json.load(open(os.path.join(folder, os.listdir(folder)[0])))
    item_of = {image["id"]: image["quarry_id"] for image in source["images"]}
    for annotator in ("ann", "bob"):
        doc = copy.deepcopy(source)
        doc["info"]["contributor"] = annotator
        kept = []
        for a in doc["annotations"]:
            item = item_of[a["image_id"]]
            x, y, w, h = a["bbox"]
            (new,) = edit(annotator, item, [[x, y, x + w, y + h]])
            a["bbox"] = [new[0], new[1], new[2] - new[0], new[3] - new[1]]
            if annotator == "ann":
                for j in range(0, len(a["keypoints"]), 3):
                    if a["keypoints"][j + 2] > 0:
                        a["keypoints"][j] += POINT_SHIFT
            if annotator == "bob" and item == 20:
                a["keypoints"] = [0, 0, 0] * (len(a["keypoints"]) // 3)
                a["num_keypoints"] = 0
            a.pop("score", None)
            kept.append(a)
        doc["annotations"] = kept
        json.dump(doc, open(f"{prefix}-{annotator}.json", "w"))


def csv_format():
    import csv
    rows = list(csv.DictReader(open(f"{export}/csv/objects.csv")))
    with open(f"{prefix}-answers.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["annotator"] + list(rows[0].keys()))
        writer.writeheader()
        for annotator in ("ann", "bob"):
            for row in rows:
                item = int(row["id"])
                box = [float(row[k]) for k in ("x0", "y0", "x1", "y1")]
                (new,) = edit(annotator, item, [box])
                out = dict(row, annotator=annotator, score="")
                out.update({k: repr(v) for k, v in zip(("x0", "y0", "x1", "y1"), new)})
                for key in row:
                    if annotator == "ann" and key.endswith("_x") and row[key[:-2] + "_v"] != "0":
                        out[key] = repr(float(row[key]) + POINT_SHIFT)
                    if annotator == "bob" and item == 20 and key.endswith(("_x", "_y", "_v")):
                        out[key] = "0"
                writer.writerow(out)


{"label-studio": label_studio, "cvat": cvat, "sagemaker": sagemaker, "coco": coco,
 "csv": csv_format}[fmt]()
json.dump(expected, open(f"{prefix}-expected.json", "w"))
