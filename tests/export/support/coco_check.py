#!/usr/bin/python3
"""Reads a COCO export the way other tools do, not the way quarry writes it, and names every rule
it breaks. pycocotools cannot be installed here (no Debian package), so its rules are followed
from its source (cocoapi's coco.py, _mask.pyx and maskApi.c), numpy only:

- ids: image, category and annotation ids unique (COCO.createIndex keeps the last of equal ids,
  silently); every annotation's image_id and category_id resolve.
- boxes: bbox [x, y, w, h] with w, h > 0 inside its image.
- masks: COCO.annToMask for every annotation: a polygon list goes through frPyObjects (which
  raises IndexError on an empty list and reads a 4-number "polygon" as a box), rleFrPoly
  (maskApi.c's rasterisation, ported line by line) and the union of the polygons; the mask must
  not be empty, its bounding box (rleToBbox) must be the annotation's bbox, and `area` must agree
  with both the mask and the polygon (within half the outline's length: the rasterisation error).
- layout: datumaro's (and CVAT's "COCO 1.0"): ROOT/annotations/instances_<subset>.json with every
  image at ROOT/images/<subset>/<file_name>, a PNG of the stated width and height.

    coco_check.py ROOT                 check every annotations/instances_*.json under ROOT
    coco_check.py --self-test          the rasterisation against masks known from pycocotools
Exit 0 with a summary line when every rule holds, 1 with one line per broken rule.
"""
import glob
import json
import math
import os
import struct
import sys

import numpy as np


# --- maskApi.c: rleFrPoly, rleDecode ---------------------------------------------------------

def rle_from_polygon(xy, h, w):
    """maskApi.c rleFrPoly: RLE counts (column-major, zeros first) of polygon xy on h x w."""
    scale = 5.0
    k = len(xy) // 2
    x = [int(scale * xy[2 * j] + .5) for j in range(k)] + [0]
    y = [int(scale * xy[2 * j + 1] + .5) for j in range(k)] + [0]
    x[k], y[k] = x[0], y[0]
    u, v = [], []
    for j in range(k):
        xs, xe, ys, ye = x[j], x[j + 1], y[j], y[j + 1]
        dx, dy = abs(xe - xs), abs(ys - ye)
        flip = (dx >= dy and xs > xe) or (dx < dy and ys > ye)
        if flip:
            xs, xe, ys, ye = xe, xs, ye, ys
        s = (ye - ys) / dx if dx >= dy else (xe - xs) / dy
        if dx >= dy:
            for d in range(dx + 1):
                t = dx - d if flip else d
                u.append(t + xs)
                v.append(int(ys + s * t + .5))
        else:
            for d in range(dy + 1):
                t = dy - d if flip else d
                v.append(t + ys)
                u.append(int(xs + s * t + .5))
    # points along the y-boundary, downsampled
    bx, by = [], []
    for j in range(1, len(u)):
        if u[j] == u[j - 1]:
            continue
        xd = float(u[j] if u[j] < u[j - 1] else u[j] - 1)
        xd = (xd + .5) / scale - .5
        if math.floor(xd) != xd or xd < 0 or xd > w - 1:
            continue
        yd = float(v[j] if v[j] < v[j - 1] else v[j - 1])
        yd = (yd + .5) / scale - .5
        yd = 0 if yd < 0 else (h if yd > h else yd)
        bx.append(int(xd))
        by.append(int(math.ceil(yd)))
    a = sorted([bx[j] * h + by[j] for j in range(len(bx))] + [h * w])
    previous = 0
    for j in range(len(a)):
        a[j], previous = a[j] - previous, a[j]
    counts, j = [a[0]], 1
    while j < len(a):
        if a[j] > 0:
            counts.append(a[j])
            j += 1
        else:
            j += 1
            if j < len(a):
                counts[-1] += a[j]
                j += 1
    return counts


def decode(counts, h, w):
    """maskApi.c rleDecode: counts -> h x w uint8 mask."""
    flat = np.zeros(h * w, dtype=np.uint8)
    position, value = 0, 0
    for count in counts:
        flat[position:position + count] = value
        position += count
        value = 1 - value
    return flat.reshape((w, h)).T  # column-major, as Fortran order


# --- pycocotools: frPyObjects, annToMask, toBbox ---------------------------------------------

class CocoapiError(Exception):
    pass


def ann_to_mask(segmentation, h, w):
    """COCO.annToMask for a polygon list, with frPyObjects' dispatch on the list's shape."""
    if not isinstance(segmentation, list):
        raise CocoapiError("segmentation is not a polygon list (RLE is not written by quarry)")
    if len(segmentation) == 0:
        raise CocoapiError("segmentation is [] : frPyObjects reads segm[0] and raises IndexError")
    if len(segmentation[0]) == 4:
        raise CocoapiError("segmentation's first polygon has 4 numbers: frPyObjects reads boxes")
    if not len(segmentation[0]) > 4:
        raise CocoapiError("segmentation's first polygon has under 3 points")
    mask = np.zeros((h, w), dtype=np.uint8)
    for polygon in segmentation:
        if len(polygon) % 2 or len(polygon) < 6:
            raise CocoapiError(f"polygon of {len(polygon)} numbers is not 3 or more x,y points")
        mask |= decode(rle_from_polygon([float(c) for c in polygon], h, w), h, w)
    return mask


def mask_bbox(mask):
    """maskApi.c rleToBbox: [x, y, w, h] around the set pixels."""
    ys, xs = np.nonzero(mask)
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]


def polygon_area_and_outline(segmentation):
    area = outline = 0.0
    for polygon in segmentation:
        xs, ys = np.array(polygon[0::2], float), np.array(polygon[1::2], float)
        area += abs(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1))) / 2
        outline += np.hypot(np.roll(xs, -1) - xs, np.roll(ys, -1) - ys).sum()
    return area, outline


# --- the file and its folder ------------------------------------------------------------------

def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def unique_ids(records, what, problems):
    ids = [r.get("id") for r in records]
    seen, repeated = set(), set()
    for i in ids:
        (repeated if i in seen else seen).add(i)
    if repeated:
        problems.append(f"{what} ids repeat: {sorted(repeated)[:5]}")
    if any(not isinstance(i, int) for i in ids):
        problems.append(f"{what} ids are not all integers")
    return {r.get("id"): r for r in records}


def check_annotation(a, images, categories, problems):
    where = f"annotation {a.get('id')}"
    image = images.get(a.get("image_id"))
    if image is None:
        problems.append(f"{where}: image_id {a.get('image_id')} names no image")
        return
    if a.get("category_id") not in categories:
        problems.append(f"{where}: category_id {a.get('category_id')} names no category")
    if a.get("iscrowd") not in (0, 1):
        problems.append(f"{where}: iscrowd {a.get('iscrowd')!r} is neither 0 nor 1")
    h, w = image["height"], image["width"]
    bx, by, bw, bh = a["bbox"]
    if not (bw > 0 and bh > 0 and bx >= 0 and by >= 0 and bx + bw <= w and by + bh <= h):
        problems.append(f"{where}: bbox {a['bbox']} is not a box inside the {w}x{h} image")
    try:
        mask = ann_to_mask(a.get("segmentation"), h, w)
    except CocoapiError as error:
        problems.append(f"{where}: annToMask fails: {error}")
        return
    if not mask.any():
        problems.append(f"{where}: annToMask gives an empty mask")
        return
    if mask_bbox(mask) != [round(c) for c in a["bbox"]]:
        problems.append(f"{where}: the mask's box {mask_bbox(mask)} is not bbox {a['bbox']}")
    polygon_area, outline = polygon_area_and_outline(a["segmentation"])
    tolerance = outline / 2 + 1
    if abs(a["area"] - polygon_area) > tolerance or abs(a["area"] - int(mask.sum())) > tolerance:
        problems.append(f"{where}: area {a['area']} disagrees with the polygon ({polygon_area}) "
                        f"or its mask ({int(mask.sum())} pixels)")


def check_file(root, path):
    problems = []
    subset = os.path.basename(path)[len("instances_"):-len(".json")]
    doc = json.load(open(path))
    for key in ("images", "annotations", "categories"):
        if not isinstance(doc.get(key), list):
            return [f"{path}: no '{key}' list"], 0, 0
    images = unique_ids(doc["images"], "image", problems)
    categories = unique_ids(doc["categories"], "category", problems)
    unique_ids(doc["annotations"], "annotation", problems)
    for image in doc["images"]:
        file = os.path.join(root, "images", subset, image["file_name"])
        if not os.path.isfile(file):
            problems.append(f"image {image['id']}: {file} does not exist (datumaro's layout)")
        elif png_size(file) != (image["width"], image["height"]):
            problems.append(f"image {image['id']}: {file} is {png_size(file)}, not "
                            f"{image['width']}x{image['height']}")
    for a in doc["annotations"]:
        check_annotation(a, images, categories, problems)
    return [f"{path}: {p}" for p in problems], len(doc["images"]), len(doc["annotations"])


def self_test():
    """Masks pycocotools gives (maskUtils.area / toBbox on frPyObjects) for a few shapes."""
    full = ann_to_mask([[0, 0, 28, 0, 28, 28, 0, 28]], 28, 28)
    assert full.sum() == 784 and mask_bbox(full) == [0, 0, 28, 28], full.sum()
    box = ann_to_mask([[2, 3, 10, 3, 10, 8, 2, 8]], 20, 20)  # frBbox([2,3,8,5]): area 40
    assert box.sum() == 40 and mask_bbox(box) == [2, 3, 8, 5], (box.sum(), mask_bbox(box))
    assert box[3, 2] and box[7, 9] and not box[8, 9] and not box[3, 10]
    triangle = ann_to_mask([[0, 0, 20, 0, 0, 20]], 20, 20)  # half the square, give or take
    assert abs(int(triangle.sum()) - 200) <= 20, triangle.sum()
    for bad in ([], [[1, 2, 3, 4]]):
        try:
            ann_to_mask(bad, 5, 5)
        except CocoapiError:
            continue
        raise AssertionError(f"{bad} passed")
    print("coco_check self-test: ok")


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1]
    files = sorted(glob.glob(os.path.join(root, "annotations", "instances_*.json")))
    if not files:
        sys.exit(f"FAIL: no {root}/annotations/instances_<subset>.json (datumaro finds none)")
    problems, images, annotations = [], 0, 0
    for path in files:
        found, n_images, n_annotations = check_file(root, path)
        problems += found
        images += n_images
        annotations += n_annotations
    if problems:
        print("\n".join("FAIL: " + p for p in problems[:50]), file=sys.stderr)
        sys.exit(1)
    print(f"coco_check: ok: {len(files)} subset(s), {images} images, {annotations} annotations")


if __name__ == "__main__":
    main()
