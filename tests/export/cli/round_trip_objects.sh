# Round trips of pre-labels through every format (seam 4 of issue 17): a keypoint pool imported
# from COCO (originals of three sizes letterboxed into 32x32) is exported with its detections as
# pre-labels; a simulated annotator (support/adjust_prelabels.py) edits the exported files as two
# people would (ann moves every box, bob keeps two and replaces one) and writes each tool's own
# output; quarry ingest reads them back. Every answer's boxes in the ledger are the boxes written,
# mapped into pool pixels by the pool's /source/transform in Python, within 0.5 px; the pre-label
# accounting counts 2 kept, 3 adjusted, 1 deleted and 1 added.
source "$(dirname "$0")/../../support/lib.bash"
fixture=${QUARRY_EXPORT_FIXTURE:?the fixture maker (quarry_export_fixture)}
annotate() { /usr/bin/python3 "$source_dir/tests/export/support/adjust_prelabels.py" "$@"; }

/usr/bin/python3 "$source_dir/tests/export/support/coco_originals.py" .
expect_exit 0 "$quarry" pool import --format coco --input keypoints.json --images images \
  --size 32x32 --out pool.h5
"$fixture" detections pool.h5 scores.h5
"$fixture" selection selection.h5 7,12,20
expect_exit 0 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format label-studio,cvat,coco,sagemaker,csv --prelabel-min-confidence 0.5 --out round1

for format in label-studio cvat sagemaker coco csv; do
  annotate "$format" round1 pool.h5 "$format"
  case $format in
    label-studio | coco) answers=("$format-ann.json" "$format-bob.json") ;;
    cvat) answers=(cvat-ann.xml cvat-bob.xml) ;;
    sagemaker) answers=(sagemaker-ann.jsonl sagemaker-bob.jsonl) ;;
    csv) answers=(csv-answers.csv) ;;
  esac
  expect_exit 0 "$quarry" ingest --format "$format" --pool pool.h5 --labels "$format.h5" \
    --prelabels round1.prelabels.csv "${answers[@]}"
  expect_stdout "pre-labels: 2 kept, 3 adjusted, 1 deleted, 1 added"
  /usr/bin/python3 - "$format" <<'PY'
import json, sys
import h5py, numpy as np
fmt = sys.argv[1]
expected = json.load(open(f"{fmt}-expected.json"))
# Who is who in each tool: Label Studio's user ids 1 and 2, Ground Truth's job names.
person = {"label-studio:1": "ann", "label-studio:2": "bob", "labeling-job/ann": "ann",
          "labeling-job/bob": "bob", "ann": "ann", "bob": "bob"}
with h5py.File(f"{fmt}.h5", "r") as ledger:
    a = ledger["annotations"]
    names = [n.decode() if isinstance(n, bytes) else n for n in a.attrs["annotators"]]
    ids, who = a["ids"][:], a["annotator"][:]
    offsets, boxes = a["objects/offsets"][:], a["objects/boxes"][:]
seen, worst_all = set(), 0.0
for row, (item, index) in enumerate(zip(ids, who)):
    key = f"{person[names[index]]}/{int(item)}"
    got = boxes[offsets[row]:offsets[row + 1]]
    want = np.array(expected[key])
    assert got.shape == want.shape, (fmt, key, got, want)
    worst = np.abs(got - want).max()
    assert worst <= 0.5, f"{fmt} {key}: ledger {got.tolist()} vs written {want.tolist()} ({worst} px)"
    seen.add(key)
    worst_all = max(worst_all, worst)
assert seen == set(expected), (fmt, sorted(seen), sorted(expected))
print(f"{fmt}: {len(seen)} answers within 0.5 px (largest difference {worst_all:.2g} px)")
PY
done
echo "round trips: ok"
