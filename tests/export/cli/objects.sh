# quarry export of a keypoint pool imported from COCO (originals of three sizes letterboxed into
# 32x32): every format carries the detections at or above --prelabel-min-confidence in each
# original's pixels (within 0.5 px of the COCO file's numbers), the images are the originals, and
# bad input (a classifier's scores, a threshold outside [0, 1]) exits 2 with nothing published.
source "$(dirname "$0")/../../support/lib.bash"
fixture=${QUARRY_EXPORT_FIXTURE:?the fixture maker (quarry_export_fixture)}

/usr/bin/python3 "$source_dir/tests/export/support/coco_originals.py" .
expect_exit 0 "$quarry" pool import --format coco --input keypoints.json --images images \
  --size 32x32 --out pool.h5
"$fixture" detections pool.h5 scores.h5
"$fixture" detections pool.h5 classifier.h5 classifier
"$fixture" selection selection.h5 7,12,20
inputs=(--selection selection.h5 --pool pool.h5)
before=(classifier.h5 images keypoints.json pool.h5 scores.h5 selection.h5)

expect_exit 2 "$quarry" export "${inputs[@]}" --scores classifier.h5 --format csv --out out
expect_stderr "classifier.h5: /detections: is missing"
expect_only_files "${before[@]}"
for bad in 1.5 -0.2; do
  expect_exit 2 "$quarry" export "${inputs[@]}" --scores scores.h5 --format csv --out out \
    --prelabel-min-confidence "$bad"
  expect_stderr "--prelabel-min-confidence $bad is not a confidence between 0 and 1"
  expect_only_files "${before[@]}"
done

expect_exit 0 "$quarry" export "${inputs[@]}" --scores scores.h5 --out out \
  --format label-studio,cvat,coco,sagemaker,csv --prelabel-min-confidence 0.5
/usr/bin/python3 - <<'PY'
import json, xml.etree.ElementTree as ET
truth = {a["image_id"]: a for a in json.load(open("keypoints.json"))["annotations"]}
size = {7: (120, 60), 12: (45, 90), 20: (16, 16)}
def close(a, b, what):
    assert abs(a - b) <= 0.5, f"{what}: {a} is not within 0.5 px of {b}"
for image, file in ((7, "wide.png"), (12, "tall.png"), (20, "small.png")):
    assert open(f"out/images/{image}.png", "rb").read() == open(f"images/{file}", "rb").read()
for task in json.load(open("out/label-studio/tasks.json")):
    image = task["data"]["quarry_id"]
    x, y, w, h = truth[image]["bbox"]
    W, H = size[image]
    results = task["predictions"][0]["result"]
    boxes = [r for r in results if r["type"] == "rectanglelabels"]
    assert len(boxes) == 1, results   # the 0.05 detection is below the threshold
    v = boxes[0]["value"]
    assert (boxes[0]["original_width"], boxes[0]["original_height"]) == (W, H)
    close(v["x"] * W / 100, x, "x"); close(v["y"] * H / 100, y, "y")
    close(v["width"] * W / 100, w, "width"); close(v["height"] * H / 100, h, "height")
    points = [r for r in results if r["type"] == "keypointlabels"]
    assert [p["parentID"] for p in points] == [boxes[0]["id"]] * 3, points
    close(points[2]["value"]["x"] * W / 100, truth[image]["keypoints"][6], "nose x")
for image in ET.parse("out/cvat/annotations.xml").getroot().iter("image"):
    box = image.find("box")
    x, y, w, h = truth[int(image.get("name")[7:-4])]["bbox"]
    close(float(box.get("xbr")), x + w, "xbr")
    assert box.get("source") == "auto" and image.find("skeleton") is not None
for line in open("out/sagemaker/manifest.jsonl"):
    line = json.loads(line)
    (a,) = line["quarry-prelabels"]["annotations"]
    x, y, w, h = truth[line["quarry-id"]]["bbox"]
    close(a["left"], x, "left"); close(a["top"] + a["height"], y + h, "bottom")
results = json.load(open("out/coco/prelabels.json"))
assert len(results) == 3 and all(r["score"] > 0.9 for r in results), results
manifest = json.load(open("out.manifest.json"))
assert manifest["settings"]["prelabel_min_confidence"] == 0.5, manifest["settings"]
assert manifest["settings"]["prelabel_objects"] == 3
rows = open("out.prelabels.csv").read().splitlines()
assert rows == open("out/csv/objects.csv").read().splitlines() and len(rows) == 4, rows
PY
[ $? -eq 0 ] || fail "the exported pre-labels are not the COCO file's objects"

# Without the option the documented default applies: the low-confidence detection stays out.
expect_exit 0 "$quarry" export "${inputs[@]}" --scores scores.h5 --out default --format csv
[ "$(wc -l <default/csv/objects.csv)" = 4 ] || fail "the default threshold let 0.05 through"
echo "objects: ok"
