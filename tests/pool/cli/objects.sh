# Pools with objects: pool synth --task keypoints | detect, what pool info (table and --json) and
# pool check (on 1 to 3 ranks, the same) report about their objects, and objects that break the
# contract refused by both with the item's id.
source "$(dirname "$0")/../../support/lib.bash"

expect_exit 0 "$quarry" pool synth --task keypoints --n 300 --shape 1x96x96 --max-objects 3 \
  --seed 4 --out heads.h5
expect_stdout "task      keypoints"
expect_stdout "classes   1: head"
expect_stdout "objects   "
expect_stdout " in 300 images: 1 to 3 per image"
expect_stdout "keypoints left_eye     visible"
expect_stdout "          right_ear    visible"

# The JSON's counts are the file's, counted again here with h5py.
expect_exit 0 "$quarry" pool info heads.h5 --json
/usr/bin/python3 - "$work/stdout" <<'PY'
import json, sys
import h5py, numpy as np
info = json.load(open(sys.argv[1]))
with h5py.File("heads.h5", "r") as f:
    assert f.attrs["quarry_format"] == "pool/2" and f.attrs["task"] == "keypoints"
    assert list(f.attrs["keypoint_names"]) == ["left_eye", "right_eye", "nose", "left_ear", "right_ear"]
    assert f.attrs["flip_pairs"].tolist() == [[0, 1], [3, 4]]
    offsets = f["objects/offsets"][:]
    per_image = np.diff(offsets)
    area = f["objects/area"][:]
    visibility = f["objects/keypoints"][:, :, 2]
    boxes = f["objects/boxes"][:]
    assert np.allclose(area, (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
o = info["objects"]
assert info["task"] == "keypoints" and info["flip_pairs"] == [[0, 1], [3, 4]], info
assert o["objects"] == offsets[-1] == len(area), o
assert o["per_image"]["min"] == per_image.min() and o["per_image"]["max"] == per_image.max() == 3
assert abs(o["per_image"]["mean"] - per_image.mean()) < 1e-9
assert o["sizes"]["small"] == (area < 32 ** 2).sum() and o["sizes"]["medium"] == ((area >= 32 ** 2) & (area < 96 ** 2)).sum()
v = o["keypoint_visibility"]
assert v["nose"]["visible"] == o["objects"], v                  # the nose never hides
assert v["left_ear"]["not_labelled"] == (visibility[:, 3] == 0).sum() > o["objects"] // 4, v
assert v["left_eye"]["visible"] + v["left_eye"]["not_labelled"] == o["objects"]
assert info["keypoint_sigmas"] == [0.05] * 5
PY

# pool check on 1, 2 and 3 ranks reports the same objects.
reference=""
for ranks in 1 2 3; do
  expect_exit 0 mpi "$ranks" "$quarry" pool check heads.h5 --batch-size 40
  expect_stdout "pool check: 300 items ok on $ranks rank(s)"
  stats=$(grep -A20 '^objects' "$work/stdout")
  [ -n "$stats" ] || fail "pool check printed no object statistics"
  [ -z "$reference" ] && reference=$stats
  [ "$stats" = "$reference" ] || fail "$ranks ranks: $stats; 1 rank: $reference"
done

expect_exit 0 "$quarry" pool synth --task detect --n 40 --shape 3x64x64 --seed 1 --out shapes.h5
expect_stdout "task      detect"
expect_stdout "classes   3: circle, square, triangle"
expect_stdout " in 40 images: 1 to "

# Objects that break the contract: found by pool info and by pool check on any rank count.
/usr/bin/python3 - <<'PY'
import shutil
import h5py
shutil.copy("heads.h5", "bad.h5")
with h5py.File("bad.h5", "r+") as f:
    offsets = f["objects/offsets"][:]
    row = 250
    f["objects/keypoints"][offsets[row], 2, 2] = 3          # item 250's first head: nose v=3
PY
expect_exit 2 "$quarry" pool info bad.h5
expect_stderr "bad.h5: /objects: item 250, object 0: keypoint 2 has visibility 3, not 0, 1 or 2"
expect_exit 2 mpi 3 "$quarry" pool check bad.h5 --batch-size 40
expect_stderr "bad.h5: /objects: item 250, object 0: keypoint 2 has visibility 3"

expect_exit 2 "$quarry" pool synth --task boxes --n 5 --out x.h5
expect_stderr "task 'boxes' is not one of classify, detect, keypoints"
expect_exit 2 "$quarry" pool synth --task detect --n 5 --shape 1x16x16 --out x.h5
expect_stderr "need at least 24x24 pixels"
[ ! -e x.h5 ] || fail "x.h5 was written"
echo "objects: ok"
