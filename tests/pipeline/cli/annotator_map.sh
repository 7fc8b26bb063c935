#!/usr/bin/env bash
# The workspace setting annotator-map (a path relative to the workspace): quarry cycle's ingest
# names Label Studio user ids by the emails of the server's user list, and ids it does not list
# label-studio:<id>. A bad list stops the round with exit 2 naming the file and the user, and
# leaves the inbox and the ledger as they were.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 3000 --shape 1x28x28 --classes 4 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --k 8 --seed-labels 8 --set formats=label-studio \
  --set train.epochs=1 --set score.threads=1 --set annotator-map=users.json >/dev/null
grep -q "^annotator-map = users.json" ws/quarry.ini || fail "quarry.ini lacks annotator-map"

# Label Studio's standard export of the seed batch: users 2 and 3 answer every task.
/usr/bin/python3 - ws/rounds/0000/export/label-studio/tasks.json ws/inbox/project.json <<'PY'
import json, sys
tasks = json.load(open(sys.argv[1]))
for n, task in enumerate(tasks):
    task["id"] = n + 1
    task["annotations"] = [{"completed_by": user, "result": [{"type": "choices", "value": {"choices": ["class0"]}}]}
                           for user in (2, 3)]
json.dump(tasks, open(sys.argv[2], "w"))
PY
cp ws/labels.h5 ledger-before.h5
printf '[{"id": 2, "email": "ann@example.org"}, {"id": "3"}]\n' >ws/users.json
expect_exit 2 "$quarry" cycle ws
expect_stderr "users.json: user #2 in the list: has no integer id"
[ -e ws/inbox/project.json ] || fail "a refused ingest moved the inbox file"
cmp -s ws/labels.h5 ledger-before.h5 || fail "a refused ingest changed the ledger"

printf '[{"id": 2, "email": "ann@example.org", "username": "ann"}]\n' >ws/users.json
expect_exit 0 "$quarry" cycle ws
expect_stdout "ann@example.org"
names=$(/usr/bin/python3 -c 'import h5py; print(" ".join(a.decode() if isinstance(a, bytes) else a for a in h5py.File("ws/labels.h5")["annotations"].attrs["annotators"]))')
[ "$names" = "ann@example.org label-studio:3" ] || fail "annotators: $names"
echo "ok"
