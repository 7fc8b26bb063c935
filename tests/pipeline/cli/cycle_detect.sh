#!/usr/bin/env bash
# A detection workspace (issue 18): quarry init reads the pool's task (a detector by default, a
# classifier refused), the seed round exports 30 items; two rounds of quarry cycle on 2 ranks
# ingest simulated answers from the inbox (CSV, then COCO), train on the ledger's objects with
# COCO evaluation on the eval pool (recorded in the train manifest, printed by status), score with
# /detections, select and export the batch with the round model's detections as pre-labels, whose
# acceptance the next ingest counts.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
export QUARRY_PROGRESS=off
ws=$work/ws
answer() { # answer ROUND OUT ANNOTATOR [--shift PX]: the pool's truth for that round's batch
  local round=$1 out=$2
  shift 2
  $py "$source_dir/tests/pipeline/support/objects_answer.py" pool.h5 \
    "$ws/rounds/$round/selection.h5" "$ws/inbox/$out" "$@"
}

"$quarry" pool synth --task detect --n 240 --shape 1x64x64 --seed 1 --out pool.h5 >/dev/null
"$quarry" pool synth --task detect --n 60 --shape 1x64x64 --seed 2 --first-id 100000 \
  --out eval.h5 >/dev/null
"$quarry" pool synth --n 60 --shape 1x64x64 --classes 3 --out classes.h5 >/dev/null

# --- init: the pool's task picks the model; a classifier, or a classify eval pool, is refused --
expect_exit 2 "$quarry" init bad --pool pool.h5 --arch small-cnn
expect_stderr "small-cnn is a classifier, and the pool $work/pool.h5 is a detect pool"
expect_stderr "centernet-small"
expect_exit 2 "$quarry" init bad --pool pool.h5 --eval-pool classes.h5
expect_stderr "classes.h5"
expect_exit 2 "$quarry" init bad --pool pool.h5 --set gold-rate=0.1
expect_stderr "gold-rate"
[ ! -e bad ] || fail "a refused init left a folder"

common=(--set formats=csv,coco,label-studio --set score.threads=1 --set train.threads=1
  --set train.epochs=3 --set train.images=1500 --set score.unit-chunks=1)
expect_exit 0 mpi 2 "$quarry" init "$ws" --pool pool.h5 --eval-pool eval.h5 --k 30 \
  --seed-labels 30 "${common[@]}"
expect_stdout "task detect), arch centernet-small, k 30"
expect_stdout "seed round 0000: 30 items picked by random"
grep -qx "task = detect" $ws/quarry.ini || fail "quarry.ini lacks the task"
grep -qx "score.batch = 128\|batch = 128" $ws/quarry.ini || fail "quarry.ini lacks the detector's score batch"
grep -qx "acquisition = det_margin_sum" $ws/quarry.ini || fail "quarry.ini lacks a detection acquisition"
[ -s $ws/rounds/0000/export/csv/objects.csv ] || fail "the seed round exported no objects.csv"

# --- round 1: CSV answers to the seed batch ---------------------------------------------------
answer 0000 seed.csv oracle
expect_exit 0 mpi 2 "$quarry" cycle "$ws"
expect_stdout "round 0001 ingest: 1 file(s)"
# The seed round's model never trained: round 1 gives it a fresh model's 1500 images (50 epochs).
expect_stdout "round 0001 train: 30 labels, 50 epoch(s)"
expect_stdout ", eval AP@.5 "
expect_stdout "on 60 items"
expect_stdout "round 0001 select: 30 items by topk"
expect_stdout "round 0001 complete"
$py - "$ws" <<'PY' || fail "round 1's files are not a detection round's"
import json, sys, h5py
ws = sys.argv[1]
ledger = h5py.File(f"{ws}/labels.h5", "r")
assert len(ledger["ids"]) == 30 and "objects" in ledger, "ledger lacks the 30 items' objects"
pool = h5py.File("pool.h5", "r")
row_of = {int(i): r for r, i in enumerate(pool["ids"][()])}
truth = sum(int(pool["objects/offsets"][row_of[int(i)] + 1] - pool["objects/offsets"][row_of[int(i)]])
            for i in ledger["ids"][()])
assert len(ledger["objects/labels"]) == truth, (len(ledger["objects/labels"]), truth)
train = json.load(open(f"{ws}/rounds/0001/model.pt.manifest.json"))
evaluation = train["settings"]["eval"]
assert evaluation["items"] == 60 and "AP50" in evaluation["bbox"]["stats"], evaluation.keys()
assert "keypoints" not in evaluation
scores = h5py.File(f"{ws}/rounds/0001/scores.h5", "r")
assert "detections" in scores and "det_margin_sum" in scores["scores"], list(scores["scores"])
selection = h5py.File(f"{ws}/rounds/0001/selection.h5", "r")
assert not set(selection["ids"][()]) & set(ledger["ids"][()]), "labeled items were selected"
PY
[ -s $ws/rounds/0001/export/coco/prelabels.json ] || fail "round 1 exported no COCO pre-labels"
[ -s $ws/rounds/0001/export.prelabels.csv ] || fail "round 1 left no pre-label list for ingest"
grep -q '"prelabel_min_confidence": 0.3' $ws/rounds/0001/export.manifest.json ||
  fail "the export's pre-label threshold is not the workspace's"
expect_exit 0 "$quarry" status "$ws"
expect_stdout "eval AP@.5 "

# --- round 2: COCO answers, the round model's pre-labels accounted ---------------------------
answer 0001 round1.coco.json careful
expect_exit 0 mpi 2 "$quarry" cycle "$ws"
expect_stdout "round 0002 ingest: 1 file(s)"
expect_stdout "round 0002 train: 60 labels, 3 epoch(s)"
expect_stdout "round 0002 complete"
[ -e $ws/rounds/0002/ingested/round1.coco.json ] || fail "the COCO answers were not moved"
$py - "$ws" <<'PY' || fail "round 2's ingest did not account for the pre-labels"
import json, sys
record = json.load(open(f"{sys.argv[1]}/rounds/0002/ingest.json"))
assert record["batches"][0]["format"] == "coco", record["batches"]
objects = record["batches"][0]["objects"]
counts = objects["prelabels"]
assert counts is not None, objects
print("round 2 pre-label accounting:", counts)
assert sum(counts[k] for k in ("kept", "adjusted", "deleted", "added")) > 0, counts
PY
echo "ok"
