# quarry score on a pool with objects (keypoints): the /detections table and the det_* scores,
# the same guarantees as classification (identical files for 1, 2 and 3 ranks, bitwise resume
# after SIGKILL, exit 99 and a resumable state on SIGUSR1), select running unchanged on the
# result, and bad detector output that exits 2 naming what forward returned.
source "$(dirname "$0")/../../support/lib.bash"
source "$source_dir/tests/score/support/guarantees.bash"
py=/usr/bin/python3
export QUARRY_PROGRESS=off

# 6144 heads of 1x32x32 (1 KiB each, 1024-row chunks): with --unit-chunks 1 there are 6 units.
expect_exit 0 "$quarry" pool synth --task keypoints --n 6144 --shape 1x32x32 --seed 3 --out pool.h5
expect_exit 0 "$quarry" model init --pool pool.h5 --arch centernet-small --seed 1 \
  --max-detections 8 --out model.pt
expect_stdout "centernet-small, 1 classes, task keypoints, 5 keypoints, 8 detection slots"
every=det_margin_max,det_margin_mean,det_margin_sum,det_entropy_max,det_entropy_mean,det_entropy_sum
every=$every,det_keypoint_max,det_keypoint_mean,det_keypoint_sum,det_heatmap_entropy
every=$every,det_heatmap_bald,det_localization
common=(--pool pool.h5 --model model.pt --unit-chunks 1 --threads 1 --mc-samples 2
  --min-confidence 0.1 --acquisitions "$every")

# --- the same scores from 1, 2 and 3 ranks, and what they hold -------------------------------
same_for_rank_counts 6144
$py - "$every" <<'PY' || fail "the detection scores break the contract"
import sys
import h5py, numpy as np
f, pool = h5py.File("np1.h5", "r"), h5py.File("pool.h5", "r")
n, k = 6144, 5
assert f.attrs["task"] == "keypoints" and f.attrs["quarry_format"] == "scores/1"
assert sorted(f["scores"]) == sorted(sys.argv[1].split(",")), list(f["scores"])
assert np.array_equal(f["ids"][()], pool["ids"][()])
offsets = f["detections/offsets"][()]
m = offsets[-1]
assert offsets.shape == (n + 1,) and offsets[0] == 0 and np.all(np.diff(offsets.astype(np.int64)) >= 0)
assert 0 < m <= 8 * n, m
conf = f["detections/confidence"][()]
labels, boxes = f["detections/labels"][()], f["detections/boxes"][()]
probs, keypoints = f["detections/probs"][()], f["detections/keypoints"][()]
assert conf.dtype == np.float16 and probs.dtype == np.float16
assert conf.shape == (m,) and boxes.shape == (m, 4) and probs.shape == (m, 1)
assert keypoints.shape == (m, k, 3) and labels.shape == (m,)
assert conf.min() >= np.float16(0.1), conf.min()  # the confidence floor
assert np.all((labels == 0)), "one class"
assert np.all(boxes[:, 0] <= boxes[:, 2]) and np.all(boxes[:, 1] <= boxes[:, 3])
assert boxes.min() >= 0 and boxes.max() <= 32
pred, presence = f["pred"][()], f["probs"][()].astype(np.float32)
weights = conf.astype(np.float32)
margin_mean = f["scores/det_margin_mean"][()]
entropy_sum = f["scores/det_entropy_sum"][()]
keypoint_max = f["scores/det_keypoint_max"][()]
for i in range(n):
    a, b = offsets[i], offsets[i + 1]
    w = weights[a:b]
    assert np.all(np.diff(w) <= 0), f"row {i}: detections not in decreasing confidence"
    if a == b:
        assert pred[i] == -1 and presence[i, 0] == 0 and margin_mean[i] == 0
        continue
    assert pred[i] == labels[a] and abs(presence[i, 0] - w[0]) < 1e-3
    p = probs[a:b].astype(np.float32)  # one class: every detection is sure of its class
    assert np.allclose(p, 1) and abs(margin_mean[i]) < 1e-3 and abs(entropy_sum[i]) < 1e-3
    u = (1 - np.clip(keypoints[a:b, :, 2], 0, 1)).mean(1)
    assert abs(keypoint_max[i] - (w * u).max()) < 2e-3, (i, keypoint_max[i], (w * u).max())
assert (offsets[1:] > offsets[:-1]).sum() > 100, "the untrained model keeps some detections"
for name in ("det_heatmap_entropy", "det_heatmap_bald", "det_localization"):
    values = f["scores/" + name][()]
    assert np.all(np.isfinite(values)) and values.min() >= 0 and values.std() > 0, name
assert f["scores/det_localization"][()].max() <= 1
assert f["embeddings"].shape == (n, 64)
PY

# --- SIGKILL halfway, then --resume; SIGUSR1, exit 99, then --resume: np2.h5's bytes ---------
kill_and_resume 6 6144
usr1_and_resume

# --- select runs unchanged on the scores: diversity and a detection uncertainty --------------
expect_exit 0 mpi 2 "$quarry" select --scores np2.h5 --k 50 --strategy kcenter --out kcenter.h5
expect_exit 0 mpi 2 "$quarry" select --scores np2.h5 --k 50 --strategy topk \
  --acquisition det_heatmap_entropy --out topk.h5
$py - <<'PY' || fail "topk over det_heatmap_entropy did not pick the highest scores"
import h5py, numpy as np
scores, picked = h5py.File("np2.h5", "r"), h5py.File("topk.h5", "r")
ids = scores["ids"][()]
values = scores["scores/det_heatmap_entropy"][()]
chosen = np.isin(ids, picked["ids"][()])
assert chosen.sum() == 50 and values[chosen].min() >= values[~chosen].max()
PY

# --- defaults and bad input ---------------------------------------------------------------------
expect_exit 0 "$quarry" score --pool pool.h5 --model model.pt --out defaults.h5
$py -c "
import h5py
names = sorted(h5py.File('defaults.h5')['scores'])
assert 'det_localization' not in names and 'det_keypoint_mean' in names and 'margin' not in names, names
"
bad() { expect_bad_input bad.h5 "$@"; }  # bad TEXT COMMAND...
bad "margin does not apply to a pool whose task is keypoints" "$quarry" score --pool pool.h5 \
  --model model.pt --acquisitions margin --out bad.h5
expect_exit 0 "$quarry" pool synth --n 100 --shape 1x32x32 --classes 3 --out classify.h5
bad "centernet-small needs a pool with objects" "$quarry" model init --pool classify.h5 \
  --arch centernet-small --out bad.h5
bad "is a dict without 'logits'" "$quarry" score --pool classify.h5 --model model.pt --out bad.h5
expect_exit 0 "$quarry" model init --pool classify.h5 --arch small-cnn --out classifier.pt
bad "; a detection model returns a dict" "$quarry" score \
  --pool pool.h5 --model classifier.pt --out bad.h5
for kind in boxes nan label; do
  $py "$source_dir/tests/score/support/make_detector.py" $kind $kind.pt
done
bad "boxes has shape [2,4,3], expected [2,D,4]" "$quarry" score --pool pool.h5 --model boxes.pt \
  --out bad.h5
# The message names every item whose first pixel is bright (the first 20 of them).
nan_items=$($py -c "
import h5py, numpy as np
pool = h5py.File('pool.h5', 'r')
ids = pool['ids'][()][pool['images'][:, 0, 0, 0] > 128]
print(f'{len(ids)} item(s), ids ' + ', '.join(str(i) for i in ids[:20]))
")
[ "${nan_items%% *}" -gt 0 ] || fail "no item has a bright first pixel"
bad "is NaN or infinite for $nan_items" mpi 2 "$quarry" score --pool pool.h5 --model nan.pt \
  --out bad.h5
bad "labels a kept detection with a class outside the pool's" "$quarry" score --pool pool.h5 \
  --model label.pt --out bad.h5
echo "score_detect: ok"
