#!/usr/bin/env bash
# A workspace's exports name their images from the workspace, so one Label Studio server
# (LOCAL_FILES_DOCUMENT_ROOT = the workspace) and one bucket serve every round:
# /data/local-files/?d=rounds/NNNN/export/images/<id>.png by default, the label-studio-prefix and
# sagemaker-prefix settings in front of rounds/NNNN/export/ otherwise; and ingest reads the
# answered tasks back.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 300 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --k 6 --seed-labels 6 --set formats=label-studio,sagemaker \
  --set train.epochs=1 --set score.threads=1 >/dev/null
grep -qxF "label-studio-prefix = /data/local-files/?d=" ws/quarry.ini ||
  fail "quarry.ini lacks the default label-studio-prefix"

# check_urls WORKSPACE LABEL_STUDIO_PREFIX SAGEMAKER_PREFIX: round 0's tasks and manifest name
# every image as PREFIX + rounds/0000/export/images/<id>.png, and that file exists.
check_urls() {
  /usr/bin/python3 - "$@" <<'PY' || fail "$1: image URLs are not workspace-relative"
import json, os, sys
ws, ls_prefix, gt_prefix = sys.argv[1:4]
folder = "rounds/0000/export/"
tasks = json.load(open(f"{ws}/{folder}label-studio/tasks.json"))
assert len(tasks) == 6, len(tasks)
for task in tasks:
    image = f"{folder}images/{task['data']['quarry_id']}.png"
    assert task["data"]["image"] == ls_prefix + image, task["data"]
    assert os.path.isfile(f"{ws}/{image}"), image
for line in open(f"{ws}/{folder}sagemaker/manifest.jsonl"):
    row = json.loads(line)
    assert row["source-ref"] == f"{gt_prefix}{folder}images/{row['quarry-id']}.png", row
PY
}
check_urls ws "/data/local-files/?d=" ""
grep -qF 'LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=<root>`, where `<root>/rounds/0000/export/` is this folder' \
  ws/rounds/0000/export/README.md || fail "the export README does not say which document root"
grep -qF '(`<root>` is the quarry workspace' ws/rounds/0000/export/README.md ||
  fail "the export README does not name the workspace as the document root"
grep -qF 'it shows the 8x8 items 32 times their size, 256 px wide' ws/rounds/0000/export/README.md ||
  fail "the export README does not explain the display size"
grep -qF 'Do **not** Sync it' ws/rounds/0000/export/README.md ||
  fail "the export README does not say whether to sync the Local Files storage"

"$quarry" init ws2 --pool pool.h5 --k 6 --seed-labels 6 --set formats=label-studio,sagemaker \
  --set train.epochs=1 --set score.threads=1 --set label-studio-prefix=https://ls.example.org/q/ \
  --set sagemaker-prefix=s3://bucket/quarry/ >/dev/null
check_urls ws2 "https://ls.example.org/q/" "s3://bucket/quarry/"

# The workspace-relative URLs come back through ingest: answers to the default export.
/usr/bin/python3 - <<'PY'
import json
tasks = json.load(open("ws/rounds/0000/export/label-studio/tasks.json"))
for task in tasks:
    task["annotations"] = [{"id": task["id"], "completed_by": {"id": 1, "email": "ann@example.org"},
                            "was_cancelled": False,
                            "result": task["predictions"][0]["result"]}]
json.dump(tasks, open("answers.json", "w"))
PY
expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels labels.h5 answers.json
expect_stdout "6 answers on 6 items from 1 annotators"
echo "ok"
