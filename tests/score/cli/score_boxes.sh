# quarry score on a pool whose task is detect (boxes, no keypoints): the same files for 1, 2 and
# 3 ranks, no keypoint datasets or keypoint scores, per-detection class probabilities over the
# pool's classes, and the keypoint scores refused by name.
source "$(dirname "$0")/../../support/lib.bash"
source "$source_dir/tests/score/support/guarantees.bash"
export QUARRY_PROGRESS=off

# 3072 images of 1x32x32 with boxes of 3 classes (1024-row chunks: 3 units of one chunk each).
expect_exit 0 "$quarry" pool synth --task detect --n 3072 --shape 1x32x32 --seed 5 \
  --out pool.h5
expect_exit 0 "$quarry" model init --pool pool.h5 --arch centernet-small --seed 2 \
  --max-detections 6 --out model.pt
expect_stdout "3 classes, task detect, 0 keypoints, 6 detection slots"
common=(--pool pool.h5 --model model.pt --unit-chunks 1 --threads 1 --min-confidence 0.05)
same_for_rank_counts 3072
/usr/bin/python3 - <<'PY' || fail "the detect-task scores break the contract"
import h5py, numpy as np
f = h5py.File("np2.h5", "r")
assert f.attrs["task"] == "detect"
assert "detections/keypoints" not in f, "a detect pool has no keypoints"
names = sorted(f["scores"])
assert names and all(n.startswith("det_") and "keypoint" not in n for n in names), names
offsets, probs = f["detections/offsets"][()], f["detections/probs"][()].astype(np.float32)
labels = f["detections/labels"][()]
m = int(offsets[-1])
assert m > 0 and probs.shape == (m, 3) and labels.min() >= 0 and labels.max() <= 2
assert np.allclose(probs.sum(1), 1, atol=5e-3), "a detection's class probabilities sum to 1"
# A detection's label is its peak's class; the others' heatmaps at that cell may be higher where
# they are not peaks of their own, so the label need not be the argmax: it has a share, though.
assert np.all(probs[np.arange(m), labels] > 0), "a detection's own class has no probability"
assert f["probs"].shape == (3072, 3) and f["embeddings"].shape[0] == 3072
PY
expect_bad_input bad.h5 "det_keypoint_max does not apply to a pool whose task is detect" \
  "$quarry" score --pool pool.h5 --model model.pt --acquisitions det_keypoint_max --out bad.h5
echo "score_boxes: ok"
