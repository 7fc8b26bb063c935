#!/usr/bin/python3
"""Writes a small COCO keypoints folder for export tests: images/wide.png (120x60),
images/tall.png (45x90) and images/small.png (16x16), 8-bit gray, and keypoints.json with one
`head` per image (three keypoints, a skeleton), so `pool import --format coco --size 32x32`
letterboxes every image differently (/source). Standard library only.

    coco_originals.py FOLDER
"""
import json
import os
import struct
import sys
import zlib


def write_png(path, width, height, value):
    raw = b"".join(b"\0" + bytes([value]) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


folder = sys.argv[1]
os.makedirs(os.path.join(folder, "images"), exist_ok=True)
sizes = {7: ("wide.png", 120, 60), 12: ("tall.png", 45, 90), 20: ("small.png", 16, 16)}
for image, (name, width, height) in sizes.items():
    write_png(os.path.join(folder, "images", name), width, height, image * 9)
names = ["left_eye", "right_eye", "nose"]
doc = {"images": [{"id": i, "file_name": n, "width": w, "height": h}
                  for i, (n, w, h) in sizes.items()],
       "categories": [{"id": 1, "name": "head", "keypoints": names, "skeleton": [[1, 3], [2, 3]]}],
       "annotations": [
           {"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 5, 30, 40],
            "keypoints": [15, 15, 2, 30, 15, 2, 22, 30, 2]},
           {"id": 2, "image_id": 12, "category_id": 1, "bbox": [5, 50, 30, 35],
            "keypoints": [10, 60, 2, 25, 60, 2, 18, 75, 2]},
           {"id": 3, "image_id": 20, "category_id": 1, "bbox": [2, 2, 10, 10],
            "keypoints": [4, 5, 2, 9, 5, 2, 7, 9, 2]}]}
json.dump(doc, open(os.path.join(folder, "keypoints.json"), "w"))
