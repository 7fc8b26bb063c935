# quarry ingest reads what each annotation tool exports (files shaped like the real exports,
# referring to items as quarry export names them), combines the annotators, and appends to the
# ledger; started under mpirun it runs once, on rank 0.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 30 --shape 1x4x4 --classes 3 --first-id 100 --out pool.h5 >/dev/null

# Label Studio: three annotators on items 100 and 101, one cancelled annotation.
cat >label-studio.json <<'JSON'
[
  {"id": 1, "data": {"image": "/data/local-files/?d=export/images/100.png", "quarry_id": 100},
   "predictions": [{"model_version": "m", "score": 0.4, "result": [{"from_name": "label", "to_name": "image", "type": "choices", "value": {"choices": ["class2"]}}]}],
   "annotations": [
     {"completed_by": {"id": 1, "email": "ann@example.org"}, "was_cancelled": false, "result": [{"from_name": "label", "to_name": "image", "type": "choices", "value": {"choices": ["class1"]}}]},
     {"completed_by": 2, "was_cancelled": false, "result": [{"from_name": "label", "to_name": "image", "type": "choices", "value": {"choices": ["class1"]}}]},
     {"completed_by": 3, "was_cancelled": true, "result": []},
     {"completed_by": 4, "was_cancelled": false, "result": [{"from_name": "label", "to_name": "image", "type": "choices", "value": {"choices": ["class1"]}}]}
   ]},
  {"id": 2, "data": {"image": "/data/local-files/?d=export/images/101.png", "quarry_id": 101},
   "annotations": [
     {"completed_by": {"id": 1, "email": "ann@example.org"}, "was_cancelled": false, "result": [{"type": "choices", "value": {"choices": ["class0"]}}]},
     {"completed_by": 2, "was_cancelled": false, "result": [{"type": "choices", "value": {"choices": ["class0"]}}]},
     {"completed_by": 4, "was_cancelled": false, "result": [{"type": "choices", "value": {"choices": ["class0"]}}]}
   ]}
]
JSON
expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels ls.h5 --consensus majority label-studio.json
expect_stdout "1 file(s), 6 answers on 2 items from 3 annotators"
expect_stdout "Fleiss' kappa 1.000, Krippendorff's alpha 1.000"
h5dump -d /labels ls.h5 | grep -q "(0): 1, 0" || fail "label studio labels: $(h5dump -d /labels ls.h5)"

# CVAT: one export per annotator job; names from <assignee>, or from --annotator per file.
for who in alice bob carol; do
  label=class2
  [ "$who" = carol ] && label=class0
  cat >"$who.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta><task><name>job</name><owner><username>admin</username></owner><assignee><username>$who</username></assignee></task></meta>
  <image id="0" name="images/110.png" width="4" height="4">
    <tag label="class1" source="auto"/>
    <tag label="$label" source="manual"/>
  </image>
</annotations>
XML
done
expect_exit 0 "$quarry" ingest --format cvat --pool pool.h5 --labels cvat.h5 --consensus majority alice.xml bob.xml carol.xml
expect_stdout "3 file(s), 3 answers on 1 items from 3 annotators"
expect_stdout "below confidence 0.70 sent to adjudication (1 waiting)"
h5dump -d /adjudicate/ids cvat.h5 | grep -q "(0): 110" || fail "110 should wait for adjudication"
# The adjudicator's answer, named on the command line, resolves it.
sed -e 's/carol/nobody/' -e 's/label="class0"/label="class2"/' carol.xml >judge.xml
expect_exit 0 "$quarry" ingest --format cvat --pool pool.h5 --labels cvat.h5 --consensus majority --annotator judge judge.xml
expect_stdout "(+3 earlier answers on the same items)"
h5dump -d /labels cvat.h5 | grep -q "(0): 2" || fail "cvat label: $(h5dump -d /labels cvat.h5)"
h5dump -d /adjudicate/ids cvat.h5 | grep -q "SIMPLE { ( 0 )" || fail "adjudication list not emptied"
# Other tools read the ledger: h5py sees the contract's types; strings are fixed-length UTF-8
# (bytes to h5py, .asstr() or .decode() for str).
/usr/bin/python3 - <<'PY' || fail "h5py does not read the ledger as the contract says"
import h5py
with h5py.File("cvat.h5", "r") as f:
    assert f.attrs["quarry_format"].decode() == "ledger/1"
    assert [c.decode() for c in f.attrs["classes"]] == ["class0", "class1", "class2"]
    assert f["ids"].dtype == "uint64" and list(f["ids"][:]) == [110]
    assert f["labels"].dtype == "int32" and list(f["labels"][:]) == [2]
    assert f["confidence"].dtype == "float32" and f["votes"][0] == 4 and f["round"][0] == 2
    assert list(f["source"].asstr()[:]) == ["judge.xml"]
    assert list(f["files/name"].asstr()[:])[-1].endswith("/judge.xml")
    assert len(f["files/sha256"].asstr()[0]) == 64
    assert [a.decode() for a in f["annotations"].attrs["annotators"]] == ["alice", "bob", "carol", "judge"]
    assert f["history/ids"].shape == (0,) and f["adjudicate/ids"].dtype == "uint64"
PY

# SageMaker Ground Truth: per-worker answers on one line, a consolidated label on the other.
cat >output.manifest <<'JSONL'
{"source-ref": "s3://bucket/export/images/120.png", "quarry-id": 120, "annotations": [{"workerId": "private.us-east-1.w1", "annotationData": {"content": "{\"crowd-image-classifier\":{\"label\":\"class2\"}}"}}, {"workerId": "private.us-east-1.w2", "annotationData": {"content": "{\"crowd-image-classifier\":{\"label\":\"class2\"}}"}}]}
{"source-ref": "s3://bucket/export/images/121.png", "quarry-id": 121, "label": 1, "label-metadata": {"class-name": "class1", "confidence": 0.93, "type": "groundtruth/image-classification", "job-name": "labeling-job/quarry-round-1", "human-annotated": "yes", "creation-date": "2024-06-11T10:00:00.000000"}}
JSONL
expect_exit 0 "$quarry" ingest --format sagemaker --pool pool.h5 --labels gt.h5 output.manifest
h5dump -d /ids gt.h5 | grep -q "(0): 120, 121" || fail "sagemaker ids: $(h5dump -d /ids gt.h5)"
h5dump -d /labels gt.h5 | grep -q "(0): 2, 1" || fail "sagemaker labels: $(h5dump -d /labels gt.h5)"

# CSV (scripts, simulations), under mpirun: one ingest, on rank 0.
printf 'id,annotator,label\n105,a,class0\n105,b,0\n105,c,class0\n' >answers.csv
expect_exit 0 mpi 2 "$quarry" ingest --format csv --pool pool.h5 --labels csv.h5 answers.csv
[ "$(grep -c "ingest: 1 file(s)" "$work/stdout")" = 1 ] || fail "ingest ran on more than one rank"
h5dump -a /rounds csv.h5 | grep -q "(0): 1" || fail "expected round 1"
# Ingesting the same file again changes nothing.
sum=$(sha256sum csv.h5)
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels csv.h5 answers.csv
expect_stdout "answers.csv is already in the ledger, skipped"
[ "$(sha256sum csv.h5)" = "$sum" ] || fail "re-ingesting changed the ledger"
grep -q '"fleiss_kappa"' csv.h5.manifest.json || fail "manifest lacks the agreement"
echo "ok"
