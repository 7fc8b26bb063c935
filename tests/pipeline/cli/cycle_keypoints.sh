#!/usr/bin/env bash
# A keypoint workspace (issue 18): answers with keypoints (CSV keypoint columns) train the
# detector's keypoint heads on the ledger's objects; quarry cycle on 2 ranks is killed (SIGKILL,
# every rank) after an epoch checkpoint of training, and the next cycle keeps the ingest as it
# was, resumes training from the checkpoint, records OKS-AP on the eval pool and exports the
# keypoints as pre-labels.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
export QUARRY_PROGRESS=off
# The workspace's absolute path makes this test's processes unique on the machine (the kills).
ws=$work/ws

"$quarry" pool synth --task keypoints --n 160 --shape 1x64x64 --max-objects 2 --seed 3 \
  --out pool.h5 >/dev/null
"$quarry" pool synth --task keypoints --n 40 --shape 1x64x64 --max-objects 2 --seed 4 \
  --first-id 100000 --out eval.h5 >/dev/null
expect_exit 2 "$quarry" init bad --pool pool.h5 --set acquisition=margin
expect_stderr "margin does not apply to a pool whose task is keypoints"
expect_exit 0 "$quarry" init "$ws" --pool pool.h5 --eval-pool eval.h5 --k 20 --seed-labels 24 \
  --set formats=csv,label-studio --set score.threads=1 --set train.threads=1 \
  --set train.images=1200
expect_stdout "task keypoints), arch centernet-small"
grep -qx "acquisition = det_keypoint_mean" $ws/quarry.ini || fail "no keypoint acquisition"
$py "$source_dir/tests/pipeline/support/objects_answer.py" pool.h5 \
  $ws/rounds/0000/selection.h5 $ws/inbox/seed.csv oracle
head -1 $ws/inbox/seed.csv | grep -q "_x,.*_y,.*_v" || fail "the answers carry no keypoints"

# --- killed after an epoch checkpoint of round 1's training ------------------------------------
setsid "$source_dir/tests/support/run_mpi" 2 "$quarry" cycle "$ws" >cycle1.out 2>&1 &
job=$!
state=$ws/rounds/0001/model.pt.partial/state.json
for _ in $(seq 1 2400); do
  [ -s "$state" ] && break
  kill -0 "$job" 2>/dev/null || { cat cycle1.out >&2; fail "the cycle ended before training"; }
  sleep 0.05
done
[ -s "$state" ] || fail "training never wrote an epoch checkpoint"
kill_cycle "$job" "$ws"
[ -e $ws/rounds/0001/model.pt.manifest.json ] && fail "training finished before it was killed"
grep -q '"complete": true' $ws/rounds/0001/ingest.json.manifest.json || fail "ingest was not done"
ingest_manifest=$(cat $ws/rounds/0001/ingest.json.manifest.json)

expect_exit 0 "$quarry" status "$ws"
expect_stdout "0001   train   not done"
expect_stdout "partial (resumes)"

expect_exit 0 mpi 2 "$quarry" cycle "$ws"
expect_stdout "round 0001 ingest: already done"
resumed=$(sed -n 's/.*round 0001 train: 24 labels, [0-9]* epoch(s) (\([0-9]*\) resumed).*/\1/p' \
  "$work/stdout")
[ -n "$resumed" ] && [ "$resumed" -ge 1 ] || { cat "$work/stdout" >&2; fail "training did not resume"; }
expect_stdout ", OKS-AP "
expect_stdout "round 0001 complete"
[ "$(cat $ws/rounds/0001/ingest.json.manifest.json)" = "$ingest_manifest" ] || fail "ingest was redone"
[ ! -e $ws/rounds/0001/model.pt.partial ] || fail "the training checkpoint was left behind"

expect_exit 0 "$quarry" status "$ws"
expect_stdout "OKS-AP"
$py - "$ws" <<'PY' || fail "round 1 is not a keypoint round"
import csv, json, sys, h5py
ws = sys.argv[1]
ledger = h5py.File(f"{ws}/labels.h5", "r")
points = ledger["objects/keypoints"][()]
assert len(ledger["ids"]) == 24 and points.shape[1] == 5, points.shape
assert (points[:, :, 2] > 0).sum() > 0, "the ledger holds no placed keypoints"
evaluation = json.load(open(f"{ws}/rounds/0001/model.pt.manifest.json"))["settings"]["eval"]
assert "AP" in evaluation["keypoints"]["stats"], evaluation.keys()
columns = csv.DictReader(open(f"{ws}/rounds/0001/export/csv/objects.csv")).fieldnames
assert any(k.endswith("_x") for k in columns), columns
PY
echo "ok"
