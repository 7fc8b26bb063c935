# quarry report on detection and keypoint rounds built by the real stages (ingest of object
# answers, train with COCO evaluation, score with /detections, select, export of pre-labels, and
# the next round's ingest of answers to that export): the page shows the detection scores, the
# class mix of the detected objects, agreement and pre-label accounting and the AP curve, renders
# in headless Chromium, and its thumbnails' SVG boxes and keypoints sit where the scores file's
# pre-labels are, scaled to the thumbnail as rendered. Two misdrawn copies of the page (boxes in
# the stored image's pixels, boxes 2 px off) prove the position check can fail.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off
support="$source_dir/tests/report/support"

# answers POOL OUT.csv [SELECTION.h5]: two annotators draw the truth objects of the selection's
# items (without one, of the first 60 items); bob's boxes are a pixel off.
answers() {
  /usr/bin/python3 - "$@" <<'PY'
import sys, h5py
pool, out = sys.argv[1], sys.argv[2]
with h5py.File(pool, "r") as f, open(out, "w") as csv:
    classes = list(f.attrs["classes"])
    ids, off = f["ids"][()].tolist(), f["objects/offsets"][()]
    boxes, labels = f["objects/boxes"][()], f["objects/labels"][()]
    wanted = h5py.File(sys.argv[3], "r")["ids"][()].tolist() if len(sys.argv) > 3 else ids[:60]
    csv.write("id,annotator,class,x0,y0,x1,y1\n")
    for item in wanted:
        row = ids.index(item)
        for name, d in (("ann", 0.0), ("bob", 1.0)):
            for o in range(off[row], off[row + 1]):
                x0, y0, x1, y1 = boxes[o]
                csv.write(f"{item},{name},{classes[labels[o]]},{x0 + d},{y0},{x1 + d},{y1}\n")
PY
}

# round WS ROUND MODEL EPOCHS: train (evaluating on test.h5), score, select 24 by the boxes'
# entropy and export them with pre-labels down to confidence 0.1 (an untrained detector's are low).
round() {
  local ws=$1 r=$1/rounds/$2
  mkdir -p "$r"
  expect_exit 0 "$quarry" train --pool pool.h5 --labels "$ws/labels.h5" --model "$3" --out "$r/model.pt" \
    --eval-pool test.h5 --epochs "$4" --batch 16 --threads 1
  expect_exit 0 "$quarry" score --pool pool.h5 --model "$r/model.pt" --out "$r/scores.h5" --threads 1
  expect_exit 0 "$quarry" select --scores "$r/scores.h5" --k 24 --strategy topk \
    --acquisition det_entropy_max --out "$r/selection.h5" --labels "$ws/labels.h5"
  expect_exit 0 "$quarry" export --selection "$r/selection.h5" --pool pool.h5 --scores "$r/scores.h5" \
    --format csv --out "$r/export" --prelabel-min-confidence 0.1
}

# workspace TASK N MAX_OBJECTS SEED: pool.h5 (N items) and test.h5 of the task, and ws/ whose
# ledger holds the first 60 items' objects and an untrained detector init.pt.
workspace() {
  expect_exit 0 "$quarry" pool synth --task "$1" --n "$2" --shape 1x64x64 --max-objects "$3" \
    --seed "$4" --out pool.h5
  expect_exit 0 "$quarry" pool synth --task "$1" --n 100 --shape 1x64x64 --max-objects "$3" \
    --seed $(($4 + 1)) --first-id 100000 --out test.h5
  mkdir -p ws
  answers pool.h5 seed.csv
  expect_exit 0 "$quarry" ingest --annotations seed.csv --format csv --pool pool.h5 --labels ws/labels.h5
  expect_exit 0 "$quarry" model init --pool pool.h5 --arch centernet-small --out init.pt --seed 1
}

# check_overlay PAGE ROUND_DIR [--expect-mismatch], in the folder that holds pool.h5
check_overlay() {
  /usr/bin/python3 "$support/overlay_check.py" "$PWD/$1" pool.h5 "$2/scores.h5" "$2/selection.h5" \
    "$2/export.manifest.json" "${@:3}"
}

# --- detection: two rounds, the second ingesting answers to the first's pre-labels -------------
workspace detect 400 3 3
round ws 0000 init.pt 2
answers pool.h5 batch.csv ws/rounds/0000/selection.h5
expect_exit 0 "$quarry" ingest --annotations batch.csv --format csv --pool pool.h5 --labels ws/labels.h5 \
  --prelabels ws/rounds/0000/export.prelabels.csv
expect_stdout "pre-labels: "
round ws 0001 ws/rounds/0000/model.pt 1

expect_exit 0 "$quarry" report ws
expect_stdout "round 0001"
page=ws/rounds/0001/report.html
for section in "Score histogram (det_entropy_max" "Detection confidence" \
               "Class mix of the detections (confidence &gt;= 0.10, duplicates not merged)" \
               "with the pre-labels" "agreement on objects and pre-label accounting" \
               "Agreement between annotators: mean IoU" "<td>all annotators</td>" \
               "AP@.5 (boxes)" "AP@[.5:.95] (boxes)"; do
  grep -qF "$section" $page || fail "the detection report lacks '$section'"
done
grep -q "Predicted-class mix" $page && fail "the detection report shows the classifier's class mix"
# The AP curve: two series with a point per trained round. The accounting table shows what ingest
# recorded in the ledger's manifest.
/usr/bin/python3 - $page <<'PY' || fail "the AP curve or the pre-label accounting is wrong"
import json, re, sys
page = open(sys.argv[1]).read()
curve = page[page.index("Learning curve across rounds"):]
curve = curve[:curve.index("</svg>")]
assert curve.count("<polyline") == 2 and curve.count("<circle") == 4, curve
p = json.load(open("ws/labels.h5.manifest.json"))["settings"]["objects"]["prelabels"]
row = f"<td>all annotators</td><td>{p['kept']}</td><td>{p['adjusted']}</td><td>{p['deleted']}</td><td>{p['added']}</td>"
assert row in page, (row, re.findall(r"<td>all annotators</td>.*?</tr>", page))
assert p["kept"] + p["adjusted"] + p["deleted"] > 0, p
PY
! grep -E 'src="(https?:)?//|href="(https?:)?//|url\((https?:)?//|<script|<link' $page ||
  fail "the report loads something from elsewhere"

/usr/bin/python3 "$support/render_check.py" "$work/$page" "$work/shot.png"
check_overlay $page ws/rounds/0001
# Negative controls: boxes drawn in the stored image's pixels (the scale applied twice), and every
# box 2 px to the right.
sed -E 's/viewBox="0 0 ([0-9]+) ([0-9]+)"/viewBox="0 0 64 64"/' $page > unscaled.html
check_overlay unscaled.html ws/rounds/0001 --expect-mismatch
perl -pe 's/(<rect class="box" x=")([0-9.]+)/$1.($2 + 2)/ge' $page > shifted.html
check_overlay shifted.html ws/rounds/0001 --expect-mismatch

# --- keypoints: one round; dots and skeleton lines where the detections' keypoints are --------
mkdir -p kp && cd kp
workspace keypoints 200 2 5
round ws 0000 init.pt 1
expect_exit 0 "$quarry" report ws
grep -q 'class="bone"' ws/rounds/0000/report.html || fail "the keypoint report draws no skeleton"
grep -qF "OKS-AP (keypoints)" ws/rounds/0000/report.html || fail "the keypoint report has no OKS-AP"
check_overlay ws/rounds/0000/report.html ws/rounds/0000
echo "ok"
