# quarry ingest on a keypoint pool: three simulated annotators' boxes and keypoints in each tool's
# own output format (Label Studio, CVAT 1.1 skeletons, SageMaker per-worker and consolidated,
# COCO, CSV) become consensus objects in the ledger within a pixel of the pool's truth; raw
# objects are kept per answer; re-ingesting a file is a no-op; bad input exits 2 naming the file
# and item with the ledger byte-identical.
source "$(dirname "$0")/../../support/lib.bash"
answers="$(dirname "$0")/../support/write_object_answers.py"

"$quarry" pool synth --task keypoints --n 6 --shape 1x96x96 --max-objects 2 --seed 3 \
  --out heads.h5 >/dev/null

# check_ledger LEDGER ANSWERS_PER_ITEM TOLERANCE KEYPOINTS: consensus objects match the truth
# (and their keypoints, where KEYPOINTS is 1: the format carries them).
check_ledger() {
  /usr/bin/python3 - "$@" <<'PY'
import sys
import h5py, numpy as np
ledger, per_item, tolerance, keypoints = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1"
with h5py.File("heads.h5", "r") as p, h5py.File(ledger, "r") as l:
    truth_ids = p["ids"][:].tolist()
    t_off, t_box, t_kp = p["objects/offsets"][:], p["objects/boxes"][:], p["objects/keypoints"][:]
    ids, off = l["ids"][:].tolist(), l["objects/offsets"][:]
    assert sorted(ids) == sorted(truth_ids), (ids, truth_ids)
    assert (l["labels"][:] == -1).all()
    assert len(l["annotations/ids"]) == per_item * len(ids)
    assert len(l["annotations/objects/offsets"]) == len(l["annotations/ids"]) + 1
    for row, item in enumerate(ids):
        t = truth_ids.index(item)
        want = t_box[t_off[t]:t_off[t + 1]]
        got = l["objects/boxes"][off[row]:off[row + 1]]
        assert len(got) == len(want), (item, got, want)
        order = [int(np.argmin(np.abs(want - g).sum(1))) for g in got]
        assert np.abs(got - want[order]).max() <= tolerance, (item, got, want)
        if keypoints:
            gk, wk = l["objects/keypoints"][off[row]:off[row + 1]], t_kp[t_off[t]:t_off[t + 1]][order]
            assert (gk[:, :, 2] == wk[:, :, 2]).all(), (item, gk, wk)
            seen = wk[:, :, 2] > 0
            assert np.abs(gk[seen][:, :2] - wk[seen][:, :2]).max() <= tolerance, item
print("ok")
PY
}

# Every format, into a ledger of its own.
for format in label-studio cvat sagemaker sagemaker-consolidated coco csv; do
  files=$(/usr/bin/python3 "$answers" heads.h5 "$format" "answers-$format")
  per_item=3 tolerance=1.0 read_as=$format keypoints=1
  case $format in
    sagemaker) keypoints=0 ;;
    sagemaker-consolidated) per_item=1 tolerance=0.001 read_as=sagemaker keypoints=0 ;;
  esac
  # shellcheck disable=SC2086
  expect_exit 0 "$quarry" ingest --format "$read_as" --pool heads.h5 --labels "$format.h5" $files
  expect_stdout "consensus: objects matched at IoU >= 0.50"
  expect_stdout "agreement: mean IoU"
  check_ledger "$format.h5" "$per_item" "$tolerance" "$keypoints" >/dev/null || fail "$format: ledger objects differ from the truth"
done
# Label Studio and CVAT carry keypoints; the ledger keeps them, SageMaker's boxes have none.
/usr/bin/python3 -c '
import h5py
for f, k in (("label-studio.h5", True), ("cvat.h5", True), ("coco.h5", True), ("sagemaker.h5", True)):
    with h5py.File(f) as l:
        assert ("objects/keypoints" in l) == k, f
        if f == "sagemaker.h5":  # boxes only: no keypoint was placed
            assert (l["objects/keypoints"][:, :, 2] == 0).all()
' || fail "keypoints not kept as expected"

# Pre-label accounting: the truth as pre-labels (quarry export's csv/objects.csv columns). bob drew
# them exactly (kept); ann and cid moved every corner by half a pixel (IoU < 0.95: adjusted).
objects=$(/usr/bin/python3 - <<'PY'
import h5py
with h5py.File("heads.h5") as p:
    ids, off, boxes = p["ids"][:], p["objects/offsets"][:], p["objects/boxes"][:]
rows = ["id,file,object,class,x0,y0,x1,y1,score"]
for row, item in enumerate(ids):
    for n, o in enumerate(range(off[row], off[row + 1])):
        b = boxes[o]
        rows.append(f"{item},images/{item}.png,{n},head,{b[0]:.4f},{b[1]:.4f},{b[2]:.4f},{b[3]:.4f},0.9")
open("prelabels.csv", "w").write("\n".join(rows) + "\n")
print(off[-1])
PY
)
expect_exit 0 "$quarry" ingest --format csv --pool heads.h5 --labels prelabelled.h5 \
  --prelabels prelabels.csv answers-csv.csv
expect_stdout "pre-labels: $objects kept, $((2 * objects)) adjusted, 0 deleted, 0 added"
expect_stdout "  bob: $objects kept, 0 adjusted"
/usr/bin/python3 -c '
import json
p = json.load(open("prelabelled.h5.manifest.json"))["settings"]["objects"]["prelabels"]
assert p["adjusted"] == 2 * p["kept"] > 0 and p["deleted"] == p["added"] == 0, p
' || fail "the manifest lacks the pre-label accounting"

# Re-ingesting a file is a no-op: the ledger's bytes stay.
before=$(sha256sum csv.h5)
expect_exit 0 "$quarry" ingest --format csv --pool heads.h5 --labels csv.h5 answers-csv.csv
expect_stdout "is already in the ledger, skipped"
[ "$(sha256sum csv.h5)" = "$before" ] || fail "re-ingesting changed the ledger"

# Bad input: exit 2, the file and item named, the ledger byte-identical.
first=$(/usr/bin/python3 -c 'import h5py; print(h5py.File("heads.h5")["ids"][0])')
header=$(head -1 answers-csv.csv)
blank=$(printf ',,,0%.0s' 1 2 3 4 5)
bad_csv() {  # NAME ROW MESSAGE
  printf '%s\n%s\n' "$header" "$2" >"$1.csv"
  expect_exit 2 "$quarry" ingest --format csv --pool heads.h5 --labels csv.h5 "$1.csv"
  expect_stderr "$1.csv: line 2: item $first"
  expect_stderr "$3"
  [ "$(sha256sum csv.h5)" = "$before" ] || fail "$1: the ledger changed after bad input"
}
bad_csv outside "$first,ann,0,head,10,10,200,20$blank" "outside the 96x96 image"
bad_csv negative "$first,ann,0,head,30,10,20,20$blank" "negative or zero size"
bad_csv unknown_class "$first,ann,0,zebra,10,10,20,20$blank" "class 'zebra' is not one of the pool's classes"
bad_csv not_a_number "$first,ann,0,head,nan,10,20,20$blank" "not a finite number"
printf 'id,annotator,class,x0,y0,x1,y1,tail_x,tail_y,tail_v\n%s,ann,head,10,10,20,20,12,12,2\n' \
  "$first" >tail.csv
expect_exit 2 "$quarry" ingest --format csv --pool heads.h5 --labels csv.h5 tail.csv
expect_stderr "keypoint 'tail' is not one of the pool's keypoints"
cat >orphan.json <<JSON
[{"id": 9, "data": {"quarry_id": $first}, "annotations": [{"completed_by": 1, "result": [
  {"id": "k1", "type": "keypointlabels", "parentID": "nobox", "original_width": 96,
   "original_height": 96, "value": {"x": 10, "y": 10, "keypointlabels": ["nose"]}}]}]}]
JSON
expect_exit 2 "$quarry" ingest --format label-studio --pool heads.h5 --labels csv.h5 orphan.json
expect_stderr "orphan.json: task 9 (#1 in the file), annotation 1"
expect_stderr "is a keypoint without its object"
cat >orphan.xml <<XML
<annotations><meta><job><assignee><username>dan</username></assignee></job></meta>
<image id="0" name="images/$first.png"><points label="nose" points="10,10"/></image></annotations>
XML
expect_exit 2 "$quarry" ingest --format cvat --pool heads.h5 --labels csv.h5 orphan.xml
expect_stderr "keypoint without its object"
[ "$(sha256sum csv.h5)" = "$before" ] || fail "the ledger changed after bad input"
! ls -A | grep -q '\.tmp-' || fail "a temporary file was left behind: $(ls -A)"

# A classification pool refuses COCO objects.
"$quarry" pool synth --n 4 --shape 1x4x4 --classes 2 --out classes.h5 >/dev/null
expect_exit 2 "$quarry" ingest --format coco --pool classes.h5 --labels c.h5 answers-coco-ann.json
expect_stderr "--format coco carries boxes and keypoints"

# A letterboxed pool (pool import --format coco keeps /source): annotators draw on the original
# images, and what they drew maps back to pool pixels (stored = original x scale + offset).
mkdir -p coco/images
/usr/bin/python3 - <<'PY'
import json, struct, zlib
def write_png(path, width, height):
    raw = b"".join(b"\0" + bytes(width) for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
write_png("coco/images/wide.png", 40, 20)   # into 32x32: scale 0.8, dy 8
write_png("coco/images/tall.png", 20, 40)   # scale 0.8, dx 8
json.dump({"images": [{"id": 7, "file_name": "wide.png", "width": 40, "height": 20},
                      {"id": 12, "file_name": "tall.png", "width": 20, "height": 40}],
           "categories": [{"id": 3, "name": "cat"}],
           "annotations": [{"id": 1, "image_id": 7, "category_id": 3, "bbox": [1, 1, 5, 5]}]},
          open("coco/instances.json", "w"))
PY
expect_exit 0 "$quarry" pool import --format coco --input coco/instances.json --images coco/images \
  --size 32x32 --out boxed.h5
printf 'id,annotator,class,x0,y0,x1,y1\n7,ann,cat,10,5,20,10\n12,ann,cat,2,30,6,34.5\n' >original.csv
expect_exit 0 "$quarry" ingest --format csv --pool boxed.h5 --labels boxed-labels.h5 original.csv
/usr/bin/python3 -c '
import h5py, numpy as np
with h5py.File("boxed-labels.h5") as l:
    assert list(l["ids"][:]) == [7, 12]
    assert np.allclose(l["objects/boxes"][:], [[8, 12, 16, 16], [9.6, 24, 12.8, 27.6]]), l["objects/boxes"][:]
' || fail "boxes drawn on the originals did not map back to pool pixels"
printf 'id,annotator,class,x0,y0,x1,y1\n7,ann,cat,10,5,20,40\n' >below.csv
expect_exit 2 "$quarry" ingest --format csv --pool boxed.h5 --labels boxed-labels.h5 below.csv
expect_stderr "below.csv: line 2: item 7"
expect_stderr "outside the 32x32 image"
