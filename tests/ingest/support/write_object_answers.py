"""Simulated annotators for the object ingest CLI tests: reads a keypoint pool's ground-truth
objects and writes what three annotators hand back, each in a tool's own output format.

Usage: write_object_answers.py POOL FORMAT OUT_PREFIX
Annotator a draws every true object with its corners shifted by OFFSET[a] pixels and places each
labelled keypoint likewise, so the consensus lies within a pixel of the truth. Writes
OUT_PREFIX.<ext> (one file for all annotators) or OUT_PREFIX-<annotator>.<ext> (CVAT, COCO: one
file per annotator), and prints the files written.
"""
import json
import sys

import h5py
import numpy as np

OFFSET = {"ann": -0.5, "bob": 0.0, "cid": 0.5}


def truth(pool):
    with h5py.File(pool, "r") as f:
        ids = f["ids"][:].tolist()
        offsets = f["objects/offsets"][:]
        boxes = f["objects/boxes"][:].astype(float)
        points = f["objects/keypoints"][:].astype(float)
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["keypoint_names"]]
        width, height = f["images"].shape[3], f["images"].shape[2]
    items = []
    for row, item in enumerate(ids):
        objs = [(boxes[o], points[o]) for o in range(offsets[row], offsets[row + 1])]
        items.append((item, objs))
    return items, names, width, height


def shifted(box, kps, d, width, height):
    b = np.clip(box + d, 0, [width, height, width, height])
    p = kps.copy()
    p[:, 0] = np.clip(p[:, 0] + d, 0, width)
    p[:, 1] = np.clip(p[:, 1] + d, 0, height)
    return b, p


def label_studio(items, names, w, h, out):
    tasks = []
    for t, (item, objs) in enumerate(items):
        annotations = []
        for who, d in OFFSET.items():
            result = []
            for n, (box, kps) in enumerate(objs):
                b, p = shifted(box, kps, d, w, h)
                rid = f"b{n}"
                result.append({"id": rid, "type": "rectanglelabels", "from_name": "box",
                               "to_name": "image", "original_width": w, "original_height": h,
                               "value": {"x": 100 * b[0] / w, "y": 100 * b[1] / h,
                                         "width": 100 * (b[2] - b[0]) / w,
                                         "height": 100 * (b[3] - b[1]) / h, "rotation": 0,
                                         "rectanglelabels": ["head"]}})
                for k, name in enumerate(names):
                    if p[k, 2] == 0:
                        continue
                    result.append({"id": f"{rid}-{k}", "type": "keypointlabels", "parentID": rid,
                                   "from_name": "kp", "to_name": "image", "original_width": w,
                                   "original_height": h,
                                   "value": {"x": 100 * p[k, 0] / w, "y": 100 * p[k, 1] / h,
                                             "width": 0.5, "keypointlabels": [name]}})
            annotations.append({"completed_by": {"email": who + "@example.org"}, "result": result})
        tasks.append({"id": 100 + t, "data": {"image": f"/data/local-files/?d=out/images/{item}.png",
                                               "quarry_id": item}, "annotations": annotations})
    path = out + ".json"
    json.dump(tasks, open(path, "w"))
    return [path]


def cvat(items, names, w, h, out):
    paths = []
    for who, d in OFFSET.items():
        lines = ['<?xml version="1.0" encoding="utf-8"?>', "<annotations><version>1.1</version>",
                 f"<meta><job><assignee><username>{who}</username></assignee></job></meta>"]
        for i, (item, objs) in enumerate(items):
            lines.append(f'<image id="{i}" name="images/{item}.png" width="{w}" height="{h}">')
            for n, (box, kps) in enumerate(objs):
                b, p = shifted(box, kps, d, w, h)
                lines.append(f'<box label="head" source="manual" occluded="0" xtl="{b[0]:.2f}" '
                             f'ytl="{b[1]:.2f}" xbr="{b[2]:.2f}" ybr="{b[3]:.2f}" z_order="0" '
                             f'group_id="{n + 1}"/>')
                lines.append(f'<skeleton label="face" source="manual" z_order="0" group_id="{n + 1}">')
                for k, name in enumerate(names):
                    lines.append(f'<points label="{name}" source="manual" '
                                 f'outside="{int(p[k, 2] == 0)}" occluded="{int(p[k, 2] == 1)}" '
                                 f'points="{p[k, 0]:.2f},{p[k, 1]:.2f}"/>')
                lines.append("</skeleton>")
            lines.append("</image>")
        lines.append("</annotations>")
        path = f"{out}-{who}.xml"
        open(path, "w").write("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def sagemaker(items, names, w, h, out):
    rows = []
    for item, objs in items:
        answers = []
        for who, d in OFFSET.items():
            boxes = []
            for box, kps in objs:
                b, _ = shifted(box, kps, d, w, h)
                boxes.append({"label": "head", "left": b[0], "top": b[1], "width": b[2] - b[0],
                              "height": b[3] - b[1]})
            content = {"boundingBox": {"boundingBoxes": boxes,
                                       "inputImageProperties": {"width": w, "height": h}}}
            answers.append({"workerId": "private.us-east-1." + who,
                            "annotationData": {"content": json.dumps(content)}})
        rows.append({"source-ref": f"s3://bucket/out/images/{item}.png", "quarry-id": item,
                     "annotations": answers})
    path = out + ".manifest"
    open(path, "w").write("".join(json.dumps(r) + "\n" for r in rows))
    return [path]


def sagemaker_consolidated(items, names, w, h, out):
    rows = []
    for item, objs in items:
        boxes = [{"class_id": 0, "left": b[0], "top": b[1], "width": b[2] - b[0],
                  "height": b[3] - b[1]} for b, _ in objs]
        rows.append({"source-ref": f"s3://bucket/out/images/{item}.png", "quarry-id": item,
                     "heads": {"image_size": [{"width": w, "height": h, "depth": 1}],
                               "annotations": boxes},
                     "heads-metadata": {"objects": [{"confidence": 0.9} for _ in boxes],
                                        "class-map": {"0": "head"},
                                        "type": "groundtruth/object-detection",
                                        "human-annotated": "yes", "job-name": "labeling-job/heads"}})
    path = out + ".manifest"
    open(path, "w").write("".join(json.dumps(r) + "\n" for r in rows))
    return [path]


def coco(items, names, w, h, out):
    paths = []
    for who, d in OFFSET.items():
        images, annotations = [], []
        for i, (item, objs) in enumerate(items):
            images.append({"id": i + 1, "file_name": f"{item}.png", "width": w, "height": h,
                           "quarry_id": item})
            for box, kps in objs:
                b, p = shifted(box, kps, d, w, h)
                flat = []
                for k in range(len(names)):
                    flat += [p[k, 0], p[k, 1], int(p[k, 2])] if p[k, 2] else [0, 0, 0]
                annotations.append({"id": len(annotations) + 1, "image_id": i + 1,
                                    "category_id": 1, "iscrowd": 0,
                                    "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]],
                                    "area": (b[2] - b[0]) * (b[3] - b[1]),
                                    "keypoints": flat, "num_keypoints": int((p[:, 2] > 0).sum())})
        doc = {"info": {"contributor": who}, "images": images, "annotations": annotations,
               "categories": [{"id": 1, "name": "head", "keypoints": names, "skeleton": []}]}
        path = f"{out}-{who}.json"
        json.dump(doc, open(path, "w"))
        paths.append(path)
    return paths


def csv(items, names, w, h, out):
    header = "id,annotator,object,class,x0,y0,x1,y1" + "".join(
        f",{n}_x,{n}_y,{n}_v" for n in names)
    rows = [header]
    for item, objs in items:
        for who, d in OFFSET.items():
            if not objs:
                rows.append(f"{item},{who},,,,,," + ",,," * len(names))
            for n, (box, kps) in enumerate(objs):
                b, p = shifted(box, kps, d, w, h)
                row = f"{item},{who},{n},head,{b[0]:.4f},{b[1]:.4f},{b[2]:.4f},{b[3]:.4f}"
                for k in range(len(names)):
                    row += f",{p[k, 0]:.4f},{p[k, 1]:.4f},{int(p[k, 2])}" if p[k, 2] else ",,,0"
                rows.append(row)
    path = out + ".csv"
    open(path, "w").write("\n".join(rows) + "\n")
    return [path]


if __name__ == "__main__":
    pool, fmt, out = sys.argv[1:4]
    items, names, w, h = truth(pool)
    writer = {"label-studio": label_studio, "cvat": cvat, "sagemaker": sagemaker,
              "sagemaker-consolidated": sagemaker_consolidated, "coco": coco, "csv": csv}[fmt]
    print(" ".join(writer(items, names, w, h, out)))
