# quarry ingest on bad input: every case exits 2 with a message naming the file and the item,
# and the ledger (and its manifest) stay byte-identical. --skip-bad ingests the rest.
source "$(dirname "$0")/../support/ledger_fixture.bash"

# Malformed JSON and XML: the line is named.
printf '[\n  {"id": 1,\n   "data": {"quarry_id": 2,}\n  }\n]\n' >broken.json
expect_rejected label-studio broken.json "broken.json: line 3, column"
expect_stderr "malformed JSON"
printf '<annotations>\n<image name="images/2.png">\n<tag label="class1"\n</annotations>\n' >broken.xml
expect_rejected cvat broken.xml "broken.xml: line 4" --annotator carol
expect_stderr "malformed XML"
printf '{"quarry-id": 2, "label": 0, "label-metadata": {"type": "groundtruth/image-classification"}}\n{"quarry-id": 3,\n' >broken.manifest
expect_rejected sagemaker broken.manifest "broken.manifest: line 2, column"

# An id quarry never exported (not in the pool), in each format.
printf 'id,annotator,label\n2,alice,class1\n77,alice,class1\n' >unknown.csv
expect_rejected csv unknown.csv "unknown.csv: line 3: item 77 is not in the pool"
cat >unknown.json <<'JSON'
[{"id": 5, "data": {"image": "/data/local-files/?d=out/images/77.png", "quarry_id": 77},
  "annotations": [{"completed_by": 1, "result": [{"type": "choices", "value": {"choices": ["class1"]}}]}]}]
JSON
expect_rejected label-studio unknown.json "unknown.json: task 5 (#1 in the file), annotation 1: item 77 is not in the pool"

# A class name that is not one of the pool's classes.
printf 'id,annotator,label\n2,alice,zebra\n' >zebra.csv
expect_rejected csv zebra.csv "zebra.csv: line 2: class 'zebra' is not one of the pool's classes (class0, class1, class2)"
cat >zebra.xml <<'XML'
<annotations><meta><task><assignee><username>dan</username></assignee></task></meta>
<image id="0" name="images/2.png"><tag label="class1" source="auto"/><tag label="zebra" source="manual"/></image>
</annotations>
XML
expect_rejected cvat zebra.xml "zebra.xml: line 2"
expect_stderr "class 'zebra'"

# An empty file.
: >empty.json
expect_rejected label-studio empty.json "empty.json: is empty"
: >empty.csv
expect_rejected csv empty.csv "empty.csv: is empty"

# Image names with path separators or "..".
cat >dotdot.xml <<'XML'
<annotations><meta><task><assignee><username>dan</username></assignee></task></meta>
<image id="0" name="images/../../2.png"><tag label="class1"/></image></annotations>
XML
expect_rejected cvat dotdot.xml "image name 'images/../../2.png' contains '..'"
cat >nested.xml <<'XML'
<annotations><meta><task><assignee><username>dan</username></assignee></task></meta>
<image id="0" name="other/images/2.png"><tag label="class1"/></image></annotations>
XML
expect_rejected cvat nested.xml "image name 'other/images/2.png' is not images/<id>.png"
printf '{"source-ref": "s3://b/../images/2.png", "quarry-id": 2, "label": 0, "label-metadata": {"type": "groundtruth/image-classification"}}\n' >dotdot.manifest
expect_rejected sagemaker dotdot.manifest "dotdot.manifest: line 1: image name 's3://b/../images/2.png' contains '..'"

# Usage errors: exit 2, nothing written.
printf 'id,annotator,label\n2,alice,class1\n' >ok.csv
expect_exit 2 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5
expect_stderr "missing annotation files"
expect_exit 2 "$quarry" ingest --format xlsx --pool pool.h5 --labels labels.h5 ok.csv
expect_stderr "unknown annotation format 'xlsx'"
expect_exit 2 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 --consensus vote ok.csv
expect_stderr "unknown consensus method 'vote'"
[ "$(fingerprint)" = "$before" ] || fail "the ledger changed after a usage error"

# --skip-bad: the good records go in, the rejected ones are listed beside the ledger.
printf 'id,annotator,label\n4,alice,class2\n4,bob,class2\n77,alice,class1\n4,carol,zebra\n' >mixed.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 --skip-bad mixed.csv
expect_stdout "rejected: 2 record(s)"
[ -f labels.h5.round-0002.rejected.jsonl ] || fail "no rejects file: $(ls)"
grep -q '"where":"line 4".*item 77 is not in the pool' labels.h5.round-0002.rejected.jsonl ||
  fail "rejects file lacks item 77: $(cat labels.h5.round-0002.rejected.jsonl)"
grep -q "class 'zebra'" labels.h5.round-0002.rejected.jsonl || fail "rejects file lacks zebra"
h5dump -d /ids labels.h5 | grep -q "(0): 1, 4" || fail "item 4 was not ingested: $(h5dump -d /ids labels.h5)"
echo "ok"
