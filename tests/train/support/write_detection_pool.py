"""Writes a small pool/2 file with objects for the detection training tests: 1x64x64 images of
1-3 rectangles on a noisy background, class 0 dim and filled, class 1 bright and hollow, with
three keypoints per object (top-left and top-right corners, a flip pair, and the centre) for
--task keypoints. /labels holds the class of each image's first object, so tests can make a
ledger with lib.bash's label_first.

    write_detection_pool.py OUT.h5 --n N [--task detect|keypoints] [--seed S] [--first-id I]
"""
import argparse

import h5py
import numpy as np

SIDE = 64


def draw(image, label, x0, y0, x1, y1):
    if label == 0:
        image[y0:y1, x0:x1] = 110
    else:
        image[y0:y1, x0:x1] = np.maximum(image[y0:y1, x0:x1], 40)
        image[y0:y0 + 3, x0:x1] = 240
        image[y1 - 3:y1, x0:x1] = 240
        image[y0:y1, x0:x0 + 3] = 240
        image[y0:y1, x1 - 3:x1] = 240


def scene(rng):
    image = rng.integers(0, 30, size=(SIDE, SIDE)).astype(np.uint8)
    boxes, labels, points = [], [], []
    for _ in range(rng.integers(1, 4)):
        for _attempt in range(20):
            w, h = rng.integers(12, 30, size=2)
            x0, y0 = rng.integers(0, SIDE - w), rng.integers(0, SIDE - h)
            box = (x0, y0, x0 + w, y0 + h)
            # Little overlap: no two boxes share more than a sliver.
            if all(min(box[2], b[2]) - max(box[0], b[0]) < 4 or
                   min(box[3], b[3]) - max(box[1], b[1]) < 4 for b in boxes):
                break
        else:
            continue
        label = int(rng.integers(0, 2))
        draw(image, label, *box)
        boxes.append(box)
        labels.append(label)
        x0, y0, x1, y1 = box
        points.append([[x0 + 1.5, y0 + 1.5, 2], [x1 - 1.5, y0 + 1.5, 2],
                       [(x0 + x1) / 2, (y0 + y1) / 2, 1]])
    return image, boxes, labels, points


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--task", default="keypoints", choices=["detect", "keypoints"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first-id", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    images, offsets, boxes, labels, points, firsts = [], [0], [], [], [], []
    for _ in range(args.n):
        image, b, l, p = scene(rng)
        images.append(image[None])
        boxes += b
        labels += l
        points += p
        offsets.append(len(labels))
        firsts.append(l[0] if l else 0)
    with h5py.File(args.out, "w") as f:
        f.attrs["quarry_format"] = "pool/2"
        f.attrs["classes"] = ["filled", "hollow"]
        f.attrs["source"] = "tests/train/support/write_detection_pool.py"
        f.attrs["task"] = args.task
        f["images"] = np.stack(images).astype(np.uint8)
        f["ids"] = np.arange(args.first_id, args.first_id + args.n, dtype=np.uint64)
        f["labels"] = np.array(firsts, np.int32)
        f["objects/offsets"] = np.array(offsets, np.uint64)
        f["objects/boxes"] = np.array(boxes, np.float32).reshape(-1, 4)
        f["objects/labels"] = np.array(labels, np.int32)
        if args.task == "keypoints":
            f.attrs["keypoint_names"] = ["left_corner", "right_corner", "centre"]
            f.attrs["flip_pairs"] = np.array([[0, 1]], np.int32)
            f.attrs["keypoint_sigmas"] = np.array([0.05, 0.05, 0.05])
            f["objects/keypoints"] = np.array(points, np.float32).reshape(-1, 3, 3)


if __name__ == "__main__":
    main()
