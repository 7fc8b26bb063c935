# The report quarry cycle writes for a detection workspace round (rounds/NNNN/report.html): after
# quarry init's seed round and one cycle that ingests two annotators' answers to the seed batch
# (one of them 2 px off), the page's agreement and pre-label accounting by round are the figures
# cycle's ingest recorded in rounds/0001/ingest.json, its AP curve has round 1's evaluation, it
# renders in headless Chromium and its SVG boxes sit where round 1's pre-labels are.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off
answer="$source_dir/tests/pipeline/support/objects_answer.py"

"$quarry" pool synth --task detect --n 240 --shape 1x64x64 --max-objects 3 --seed 1 --out pool.h5 >/dev/null
"$quarry" pool synth --task detect --n 60 --shape 1x64x64 --max-objects 3 --seed 2 --first-id 100000 \
  --out eval.h5 >/dev/null
# A short training (2 epochs) and pre-labels down to 0.1: an untrained detector's are low.
expect_exit 0 "$quarry" init ws --pool pool.h5 --eval-pool eval.h5 --k 24 --seed-labels 24 \
  --set formats=csv --set score.threads=1 --set train.threads=1 --set train.epochs=2 \
  --set train.images=48 --set prelabel-min-confidence=0.1
/usr/bin/python3 "$answer" pool.h5 ws/rounds/0000/selection.h5 ws/inbox/ann.csv ann
/usr/bin/python3 "$answer" pool.h5 ws/rounds/0000/selection.h5 ws/inbox/bob.csv bob --shift 2
expect_exit 0 "$quarry" cycle ws
expect_stdout "round 0001 complete"
page=ws/rounds/0001/report.html
[ -s $page ] || fail "cycle wrote no report for round 1"

/usr/bin/python3 - $page <<'PY' || fail "the report's figures are not what round 1 recorded"
import json, re, sys
page = open(sys.argv[1]).read()
(batch,) = json.load(open("ws/rounds/0001/ingest.json"))["batches"]
objects = batch["objects"]
p, iou = objects["prelabels"], objects["agreement"]["mean_iou"]
assert p["kept"] + p["adjusted"] + p["deleted"] > 0 and p["added"] > 0, p
row = (f"<td>0001</td><td>ann.csv, bob.csv</td><td>{iou:.3f}</td><td>&ndash;</td><td>{p['kept']}</td>"
       f"<td>{p['adjusted']}</td><td>{p['deleted']}</td><td>{p['added']}</td>")
assert row in page, (row, re.findall(r"<td>0001</td>.*?</tr>", page))
ap50 = json.load(open("ws/rounds/0001/model.pt.manifest.json"))["settings"]["eval"]["bbox"]["stats"]["AP50"]
curve = page[page.index("Learning curve across rounds"):]
curve = curve[:curve.index("</svg>")]
assert "AP@.5 (boxes)" in curve and curve.count("<circle") == 2, curve  # AP@.5 and AP of round 1
assert ap50 >= 0, ap50
PY
/usr/bin/python3 "$source_dir/tests/report/support/render_check.py" "$work/$page" "$work/shot.png"
/usr/bin/python3 "$source_dir/tests/report/support/overlay_check.py" "$work/$page" pool.h5 \
  ws/rounds/0001/scores.h5 ws/rounds/0001/selection.h5 ws/rounds/0001/export.manifest.json
echo "ok"
