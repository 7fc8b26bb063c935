# tools/make-scenes writes a COCO folder of Fashion-MNIST scenes, seeded, that pool import
# --format coco reads: the same path a user's COCO data takes.
source "$(dirname "$0")/../../support/lib.bash"
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || fail "Fashion-MNIST is missing: run tools/setup"

"$source_dir/tools/make-scenes" scenes --train 40 --test 12 --canvas 96,128 --seed 5 >made.txt
grep -qF "instances_train.json: 40 images" made.txt || { cat made.txt; fail "make-scenes said: $(cat made.txt)"; }
grep -qF "instances_test.json: 12 images" made.txt || fail "no test split"
"$source_dir/tools/make-scenes" again --train 40 --test 12 --canvas 96,128 --seed 5 >/dev/null
cmp scenes/annotations/instances_train.json again/annotations/instances_train.json ||
  fail "make-scenes is not deterministic"
cmp scenes/images/test/000041.png again/images/test/000041.png || fail "images differ"

for split in train test; do
  expect_exit 0 "$quarry" pool import --format coco --input scenes/annotations/instances_$split.json \
    --images scenes/images --size 128x128 --out $split.h5
  expect_stdout "task      detect"
  expect_stdout "classes   10: T-shirt/top, Trouser, Pullover"
done

/usr/bin/python3 - <<'PY'
import json
import h5py, numpy as np
for split in ("train", "test"):
    doc = json.load(open(f"scenes/annotations/instances_{split}.json"))
    with h5py.File(f"{split}.h5", "r") as f:
        ids = list(f["ids"][:])
        assert ids == [image["id"] for image in doc["images"]], (ids, doc["images"][:3])
        assert list(f.attrs["category_ids"]) == list(range(1, 11))
        offsets, boxes = f["objects/offsets"][:], f["objects/boxes"][:]
        labels, transform = f["objects/labels"][:], f["source/transform"][:]
        images = f["images"][:]
    assert offsets[-1] == len(doc["annotations"]) > len(ids)
    by_image = {}
    for a in doc["annotations"]:
        by_image.setdefault(a["image_id"], []).append(a)
    for row, image in enumerate(doc["images"]):
        scale, dx, dy = transform[row]
        size = image["width"]
        assert abs(scale - 128 / size) < 1e-6 and dx == 0 and dy == 0
        mine = sorted(by_image.get(image["id"], []), key=lambda a: a["id"])
        assert offsets[row + 1] - offsets[row] == len(mine)
        for k, a in enumerate(mine):
            x, y, w, h = a["bbox"]
            box = boxes[offsets[row] + k]
            assert np.allclose(box, [x * scale, y * scale, (x + w) * scale, (y + h) * scale], atol=1e-4)
            assert labels[offsets[row] + k] == a["category_id"] - 1
            # Tight boxes: the item reaches each edge, so the stored image is bright there.
            x0, y0, x1, y1 = (int(round(v)) for v in box)
            assert images[row, 0, y0:y1, x0:x1].max() > 60
print("scenes import ok")
PY
echo "scenes: ok"
