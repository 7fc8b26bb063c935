# quarry ingest on hostile input (the reliability campaign's findings): strings that are not
# UTF-8 or hold control characters, JSON values of the wrong type or out of range. Each is bad
# input (exit 2, file and record named) that leaves the ledger and its manifest byte-identical,
# or with --skip-bad a rejected record; nothing fails after the ledger is committed.
source "$(dirname "$0")/../support/ledger_fixture.bash"

# Annotator names that cannot be stored: not UTF-8, NUL inside, empty.
printf '2,ann\xff,class1\n2,bob,class1\n' >utf8.csv
expect_rejected csv utf8.csv "utf8.csv: line 1: the annotator name 'ann\\xFF' is not valid UTF-8"
printf '2,a\x00x,class1\n2,a\x00y,class2\n' >nul.csv
expect_rejected csv nul.csv "nul.csv: line 1: the annotator name 'a\\x00x' holds a control character"
cat >utf8.xml <<XML
<annotations><meta><job><assignee><username>carol$(printf '\xc3\x28')</username></assignee></job></meta>
<image id="0" name="images/2.png"><tag label="class1" source="manual"/></image></annotations>
XML
expect_rejected cvat utf8.xml "utf8.xml: line 2"
expect_stderr "is not valid UTF-8"
echo '{"quarry-id":2,"label":1,"label-metadata":{"type":"groundtruth/image-classification","job-name":""}}' >empty-job.jsonl
expect_rejected sagemaker empty-job.jsonl "empty-job.jsonl: line 1: the annotator name is empty"

# JSON values of the wrong type, and numbers out of range: the record and the field are named.
echo '{"quarry-id":2,"label":1,"label-metadata":{"type":"groundtruth/image-classification","job-name":5}}' >job-number.jsonl
expect_rejected sagemaker job-number.jsonl "job-number.jsonl: line 1: label-metadata.job-name: is a number, expected a string"
echo '{"quarry-id":2,"label":1,"label-metadata":{"type":7}}' >type-number.jsonl
expect_rejected sagemaker type-number.jsonl "type-number.jsonl: line 1: label-metadata.type: is a number, expected a string"
echo '{"quarry-id":2,"label":1e400}' >overflow.jsonl
expect_rejected sagemaker overflow.jsonl "overflow.jsonl: line 1, column 24: a number is out of range"
choice='"result":[{"type":"choices","value":{"choices":["class1"]}}]'
echo "[{\"id\":1,\"data\":{\"quarry_id\":2},\"annotations\":[{\"completed_by\":1,\"was_cancelled\":\"no\",$choice}]}]" >cancelled.json
expect_rejected label-studio cancelled.json "cancelled.json: task 1 (#1 in the file), annotation 1: was_cancelled: is a string, expected true or false"
echo '[{"id":1,"data":{"quarry_id":2},"annotations":[{"completed_by":1,"result":[{"type":5,"value":{"choices":["class1"]}}]}]}]' >result-type.json
expect_rejected label-studio result-type.json "result-type.json: task 1 (#1 in the file), annotation 1: result[0].type: is a number, expected a string"
echo "[{\"id\":1,\"data\":{\"quarry_id\":2},\"annotations\":[{\"completed_by\":1e400,$choice}]}]" >overflow.json
expect_rejected label-studio overflow.json "overflow.json: line 1, column 64: a number is out of range"

# --skip-bad: the bad records are rejected, the rest is ingested, and the rejects file (which
# quotes a line that is not UTF-8) and the manifest are written: valid JSON, escaped bytes.
{
  echo "[{\"id\":1,\"data\":{\"quarry_id\":3},\"annotations\":[{\"completed_by\":1,$choice},{\"completed_by\":2,$choice}]},"
  echo " {\"id\":2,\"data\":{\"quarry_id\":4},\"annotations\":[{\"completed_by\":1,\"was_cancelled\":\"no\",$choice}]},"
  echo " {\"id\":3,\"data\":{\"quarry_id\":5},\"annotations\":[{\"completed_by\":[1],$choice}]}]"
} >mixed.json
expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels labels.h5 --skip-bad mixed.json
expect_stdout "rejected: 2 record(s)"
rejects=labels.h5.round-0002.rejected.jsonl
grep -qF 'was_cancelled: is a string' "$rejects" || fail "rejects lack the wrong-typed record: $(cat "$rejects")"
printf '{"quarry-id":6,"label":1,"label-metadata":{"type":"groundtruth/image-classification","job-name":"j"}}\n{"quarry-id": 7, "x": "\xff"\n' >mixed.jsonl
expect_exit 0 "$quarry" ingest --format sagemaker --pool pool.h5 --labels labels.h5 --skip-bad mixed.jsonl
/usr/bin/python3 - labels.h5.round-0003.rejected.jsonl labels.h5.manifest.json <<'PY' || fail "rejects or manifest are not valid UTF-8 JSON"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(lines) == 1 and lines[0]["where"].startswith("line 2"), lines
assert "\\xFF" in lines[0]["problem"], lines[0]
manifest = json.load(open(sys.argv[2], encoding="utf-8"))
assert manifest["outputs"]["rejected"]["path"].endswith("round-0003.rejected.jsonl"), manifest
PY
expect_exit 0 "$quarry" ingest --format sagemaker --pool pool.h5 --labels labels.h5 --skip-bad mixed.jsonl
expect_stdout "is already in the ledger, skipped"

# An annotation file whose own name is not UTF-8: ingested, its name escaped in the ledger and
# in the manifest.
printf 'id,annotator,label\n8,alice,class2\n8,bob,class2\n' >"$(printf 'name-\xe9.csv')"
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 "$(printf 'name-\xe9.csv')"
/usr/bin/python3 - <<'PY' || fail "the escaped file name is not in the ledger or the manifest"
import h5py, json
names = [n.decode() if isinstance(n, bytes) else n for n in h5py.File("labels.h5")["/files/name"][:]]
assert any(n.endswith("name-\\xE9.csv") for n in names), names
manifest = json.load(open("labels.h5.manifest.json", encoding="utf-8"))
assert manifest["inputs"]["annotations/1"]["path"].endswith("name-\\xE9.csv"), manifest["inputs"]
PY
