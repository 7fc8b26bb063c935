# `quarry eval --coco-truth --coco-results` on COCO files: the bbox and keypoints blocks of
# tests/data/coco_eval_reference.json, written out as a user's ground-truth and results files,
# print cocoapi's stats (compared to 1e-12 from --json); the torch-free quarry runs it without
# MPI. Bad input exits 2 naming the file, the annotation and the problem.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
reference="$source_dir/tests/data/coco_eval_reference.json"

$py - "$reference" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for name in ("bbox", "keypoints"):
    block = doc[name]
    truth = {key: block[key] for key in ("images", "categories", "annotations")}
    json.dump(truth, open(f"{name}_truth.json", "w"))
    json.dump(block["detections"], open(f"{name}_results.json", "w"))
    json.dump(block["stats"], open(f"{name}_stats.json", "w"))
    json.dump(block["sigmas"] if "sigmas" in block else [], open(f"{name}_sigmas.json", "w"))
PY

same_stats() {
  $py - "$1" "$2" <<'PY'
import json, sys
printed, stored = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(printed["stats_list"]) == len(stored), (printed["stats_list"], stored)
for got, want in zip(printed["stats_list"], stored):
    assert abs(got - want) <= 1e-12, (got, want)
PY
}

expect_exit 0 "$quarry" eval --coco-truth bbox_truth.json --coco-results bbox_results.json --json
cp "$work/stdout" bbox.json
same_stats bbox.json bbox_stats.json || fail "bbox stats differ from cocoapi's"
$py -c 'import json,sys; d=json.load(open("bbox.json")); assert d["stats"]["AP"] == d["stats_list"][0] and [c["id"] for c in d["per_category"]] == [1, 3, 7] and d["detections"] == 324, d' ||
  fail "bbox JSON lacks named stats or categories"

sigmas=$($py -c 'import json; print(",".join(map(repr, json.load(open("keypoints_sigmas.json")))))')
expect_exit 0 "$quarry" eval --coco-truth keypoints_truth.json --coco-results keypoints_results.json \
  --iou-type keypoints --sigmas "$sigmas" --json
cp "$work/stdout" keypoints.json
same_stats keypoints.json keypoints_stats.json || fail "keypoint stats differ from cocoapi's"

# The table: cocoapi's AP to 3 decimals (0.2989055813485255).
expect_exit 0 "$quarry" eval --coco-truth bbox_truth.json --coco-results bbox_results.json
grep -qE '^ +AP +AP  IoU=0.50:0.95 area=all +maxDets=100 +0\.299$' "$work/stdout" ||
  fail "the table lacks AP 0.299: $(cat "$work/stdout")"
expect_stdout "7 bag"

# Keypoints need one sigma per keypoint (COCO's defaults are for 17).
expect_exit 2 "$quarry" eval --coco-truth keypoints_truth.json --coco-results keypoints_results.json \
  --iou-type keypoints
expect_stderr "5 keypoints per object and 0 sigmas"

# Bad input: exit 2 naming the file, the annotation and the problem.
$py - <<'PY'
import json
truth = json.load(open("bbox_truth.json"))
del truth["annotations"][6]["area"]
json.dump(truth, open("no_area.json", "w"))
truth = json.load(open("bbox_truth.json"))
truth["annotations"][0]["bbox"] = [1, 2, -3, 4]
json.dump(truth, open("negative_box.json", "w"))
results = json.load(open("bbox_results.json"))
results[1]["image_id"] = 999999
json.dump(results, open("unknown_image.json", "w"))
open("broken.json", "w").write('{"images": [')
PY
expect_exit 2 "$quarry" eval --coco-truth no_area.json --coco-results bbox_results.json
expect_stderr "no_area.json: annotation 7: has no 'area'"
expect_exit 2 "$quarry" eval --coco-truth negative_box.json --coco-results bbox_results.json
expect_stderr "negative_box.json: annotation 1: 'bbox' has a negative width or height"
expect_exit 2 "$quarry" eval --coco-truth bbox_truth.json --coco-results unknown_image.json
expect_stderr "unknown_image.json: result #2: image_id 999999 is not in the images"
expect_exit 2 "$quarry" eval --coco-truth broken.json --coco-results bbox_results.json
expect_stderr "broken.json: byte"
expect_exit 2 "$quarry" eval --coco-truth missing.json --coco-results bbox_results.json
expect_stderr "missing.json: cannot be opened"
expect_exit 2 "$quarry" eval --coco-truth bbox_truth.json --coco-results bbox_results.json \
  --iou-type segm
expect_stderr "unknown iou type 'segm'"
expect_exit 2 "$quarry" eval --coco-truth bbox_truth.json
expect_stderr "coco-results"
