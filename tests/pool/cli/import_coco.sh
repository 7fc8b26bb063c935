# quarry pool import --format coco: a hand-made COCO folder (instances and keypoints) letterboxed
# into the pool's size with boxes, areas, keypoints and sources transformed; bad annotations
# refused naming the annotation, with no pool written.
source "$(dirname "$0")/../../support/lib.bash"

/usr/bin/python3 - <<'PY'
import json, os, struct, zlib
import numpy as np

def write_png(path, pixels):  # pixels: HxW (gray) or HxWx3 (RGB) uint8
    height, width = pixels.shape[:2]
    color = 0 if pixels.ndim == 2 else 2
    raw = b"".join(b"\0" + pixels[y].tobytes() for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

os.mkdir("images")
wide = np.zeros((20, 40), np.uint8)
wide[5:10, 10:20] = 200                      # the "cat" of annotation 1
write_png("images/wide.png", wide)
write_png("images/tall.png", np.full((40, 20), 50, np.uint8))
write_png("images/empty.png", np.full((16, 16, 3), 90, np.uint8))
images = [{"id": 7, "file_name": "wide.png", "width": 40, "height": 20},
          {"id": 12, "file_name": "tall.png", "width": 20, "height": 40},
          {"id": 20, "file_name": "empty.png"}]
instances = {
    "images": images,
    "categories": [{"id": 9, "name": "dog"}, {"id": 3, "name": "cat"}],
    "annotations": [
        {"id": 1, "image_id": 7, "category_id": 3, "bbox": [10, 5, 10, 5], "area": 40, "iscrowd": 0},
        {"id": 5, "image_id": 12, "category_id": 9, "bbox": [0, 0, 20, 40], "area": 700, "iscrowd": 1},
        {"id": 2, "image_id": 12, "category_id": 3, "bbox": [2, 30, 4, 4.5]},
    ]}
json.dump(instances, open("instances.json", "w"))
keypoints = {
    "images": images[:1],
    "categories": [{"id": 1, "name": "face", "keypoints": ["nose", "left_eye", "right_eye"],
                    "skeleton": [[1, 2], [1, 3]]}],
    "annotations": [{"id": 4, "image_id": 7, "category_id": 1, "bbox": [10, 5, 10, 5],
                     "keypoints": [15, 8, 2, 12, 6, 1, 0, 0, 0], "num_keypoints": 2}]}
json.dump(keypoints, open("keypoints.json", "w"))
PY

expect_exit 0 "$quarry" pool import --format coco --input instances.json --images images \
  --size 32x32 --out boxes.h5
expect_stdout "items     3"
expect_stdout "images 1x32x32 uint8"

/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("boxes.h5", "r") as f:
    a = f.attrs
    assert a["quarry_format"] == "pool/2" and a["task"] == "detect", dict(a)
    assert list(a["classes"]) == ["cat", "dog"], a["classes"]   # categories in id order
    assert list(a["category_ids"]) == [3, 9], a["category_ids"]
    assert list(f["ids"][:]) == [7, 12, 20]
    assert list(f["objects/offsets"][:]) == [0, 1, 3, 3]
    # wide.png 40x20 -> scale 0.8, dx 0, dy 8; tall.png 20x40 -> scale 0.8, dx 8, dy 0;
    # empty.png 16x16 -> scale 2.
    assert np.allclose(f["source/transform"][:], [[0.8, 0, 8], [0.8, 8, 0], [2, 0, 0]])
    assert [p.decode() for p in f["source/paths"][:]] == ["images/wide.png", "images/tall.png",
                                                         "images/empty.png"]
    boxes = f["objects/boxes"][:]
    # An image's objects in annotation id order: 1; then 2, 5.
    assert np.allclose(boxes, [[8, 12, 16, 16], [9.6, 24, 12.8, 27.6], [8, 0, 24, 32]]), boxes
    assert list(f["objects/labels"][:]) == [0, 0, 1]      # cat, cat, dog
    assert list(f["objects/crowd"][:]) == [0, 0, 1]
    # COCO's area scaled by 0.64; annotation 2 has none: its stored box area.
    assert np.allclose(f["objects/area"][:], [25.6, 3.2 * 3.6, 448]), f["objects/area"][:]
    assert "keypoints" not in f["objects"]
    image = f["images"][0, 0]
    assert image[:8].max() == 0 and image[24:].max() == 0, "padding is not zero"
    assert image[13:15, 9:15].min() > 150 and image[8:24, :6].max() == 0, image
    assert f["images"].shape == (3, 1, 32, 32)   # the RGB image became gray (the first is gray)
    assert abs(int(f["images"][2, 0, 16, 16]) - 90) <= 1
PY

expect_exit 0 "$quarry" pool import --format coco --input keypoints.json --images images \
  --size 32x32 --channels 3 --out keypoints.h5
/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("keypoints.h5", "r") as f:
    a = f.attrs
    assert a["task"] == "keypoints" and list(a["keypoint_names"]) == ["nose", "left_eye", "right_eye"]
    assert a["flip_pairs"].tolist() == [[1, 2]], a["flip_pairs"]
    assert a["skeleton"].tolist() == [[0, 1], [0, 2]], a["skeleton"]   # COCO's are 1-based
    assert np.allclose(a["keypoint_sigmas"], [0.05] * 3)
    assert f["images"].shape == (1, 3, 32, 32)
    kp = f["objects/keypoints"][:]
    assert kp.shape == (1, 3, 3)
    assert np.allclose(kp[0], [[12, 14.4, 2], [9.6, 12.8, 1], [0, 0, 0]]), kp
PY

# Bad input: each names the annotation (or image) and the problem; no pool is written.
bad() {  # bad NAME PYTHON-EDIT TEXT
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open("instances.json"))
exec(sys.argv[2])
json.dump(doc, open(sys.argv[1] + ".json", "w"))
PY
  expect_bad_input "$1.h5" "$3" "$quarry" pool import --format coco --input "$1.json" \
    --images images --size 32x32 --out "$1.h5"
  expect_stderr "$1.json"
}
bad outside 'doc["annotations"][0]["bbox"] = [35, 5, 10, 5]' \
  "annotation 1: has bbox [35, 5, 10, 5], outside its 40x20 image"
bad negative 'doc["annotations"][2]["bbox"][2] = -4' \
  "annotation 2: has bbox width -4 and height 4.5; both must be positive"
bad category 'doc["annotations"][1]["category_id"] = 4' \
  "annotation 5: has category_id 4, which is not among the categories"
bad image 'doc["annotations"][1]["image_id"] = 99' \
  "annotation 5: has image_id 99, which is not among the images"
bad missing 'doc["images"][1]["file_name"] = "gone.png"' "image 12: names file images/gone.png, which does not exist"
bad twice 'doc["images"][2]["id"] = 7' "image 7: appears more than once"
bad size 'doc["images"][0]["width"] = 41' "image 7: is 41x20 in the annotations, but images/wide.png is 40x20 gray"
bad unsized 'doc["annotations"][2]["bbox"] = [20, 0, 20, 10]; doc["annotations"][2]["image_id"] = 20' \
  "annotation 2: has bbox [20, 0, 20, 10], outside its 16x16 image"
/usr/bin/python3 - <<'PY'
import json
doc = json.load(open("keypoints.json"))
doc["annotations"][0]["keypoints"] = [15, 8, 2]
json.dump(doc, open("short.json", "w"))
PY
expect_bad_input short.h5 "short.json: annotation 4: has 3 keypoint values; its category's 3 keypoints need 9" \
  "$quarry" pool import --format coco --input short.json --images images --size 32x32 --out short.h5
expect_exit 2 "$quarry" pool import --format coco --input instances.json --images images --out x.h5
expect_stderr "needs --size HxW"
ls -A | grep -q '^\..*tmp' && fail "a temporary file was left behind"
true
