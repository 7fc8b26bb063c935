#!/usr/bin/env bash
# What quarry cycle's ingest measures and records, round after round:
#  - pre-label acceptance: every export lists its pre-labels beside its folder
#    (rounds/NNNN/export.prelabels.csv); the next ingests read every finished round's list and
#    report how often the new answers kept the model's guess (overall, per class, per annotator)
#    in the summary, the stage record rounds/NNNN/ingest.json, the ledger's manifest and the
#    round report;
#  - a cumulative export (earlier rounds' answers again, plus the new ones) is reported as new
#    and repeated answers, and only the new ones are measured;
#  - the ledger records each file where cycle moved it (rounds/NNNN/ingested/), not the inbox.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 3000 --shape 1x28x28 --classes 4 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --k 16 --seed-labels 16 --set formats=label-studio \
  --set train.epochs=1 --set score.threads=1 >/dev/null
list=ws/rounds/0000/export.prelabels.csv
[ "$(head -1 $list)" = "id,predicted_class,probability" ] || fail "no pre-label list: $(head -2 $list)"
[ "$(tail -n +2 $list | wc -l)" = 16 ] || fail "the pre-label list lacks the 16 exported items"
grep -q '"prelabels"' ws/rounds/0000/export.manifest.json || fail "the export manifest omits the list"

# answer-export reads csv/items.csv; this workspace exports Label Studio only, so the answers
# come from the pre-label list's ids (the simulated people are always right).
answer() {  # answer ROUND OUT
  mkdir -p ids/csv
  cp "ws/rounds/$1/export.prelabels.csv" ids/csv/items.csv
  "$source_dir/tools/answer-export" ids pool.h5 "$2" --annotators ann,bob --accuracy 1.0 >/dev/null
}
answer 0000 seed.csv
cp seed.csv ws/inbox/seed.csv
expect_exit 0 "$quarry" cycle ws
expect_stdout "pre-labels kept unchanged: "
expect_stdout "  by annotator: ann "
record=ws/rounds/0001/ingest.json
/usr/bin/python3 - "$record" <<'PY' || fail "round 1's ingest record: $(cat $record)"
import json, sys
a = json.load(open(sys.argv[1]))["prelabel_acceptance"]
assert a["answers"] == 32 and 0 <= a["kept"] <= 32, a
assert sorted(a["per_annotator"]) == ["ann", "bob"], a
assert sum(c["answers"] for c in a["per_class"].values()) == 32, a
PY
grep -q '"prelabels/1"' ws/rounds/0001/ingest.json.manifest.json || fail "ingest did not read the list"

# The ledger names the file where it is now.
[ -e ws/rounds/0001/ingested/seed.csv ] && [ ! -e ws/inbox/seed.csv ] || fail "seed.csv not moved"
recorded=$(/usr/bin/python3 -c 'import h5py; n = h5py.File("ws/labels.h5")["files/name"][0]; print(n.decode() if isinstance(n, bytes) else n)')
[ "$recorded" = "$work/ws/rounds/0001/ingested/seed.csv" ] || fail "the ledger records $recorded"

# The same figure from the standalone command, given the list by hand.
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels alone.h5 --prelabels $list seed.csv
kept=$(/usr/bin/python3 -c 'import json; a = json.load(open("ws/rounds/0001/ingest.json"))["prelabel_acceptance"]; print(str(a["kept"]) + "/" + str(a["answers"]))')
expect_stdout "($kept)"

# Round 2: one cumulative file, round 0's answers again plus the answers to round 1's batch.
answer 0001 round1.csv
{ cat seed.csv; tail -n +2 round1.csv; } >ws/inbox/cumulative.csv
expect_exit 0 "$quarry" cycle ws
expect_stdout "32 new answers + 32 repeated (already in the ledger) on 32 items"
expect_stdout "round 0002 ingest: 1 file(s), 32 new answers"
/usr/bin/python3 - ws/rounds/0002/ingest.json <<'PY' || fail "round 2's ingest record: $(cat ws/rounds/0002/ingest.json)"
import json, sys
r = json.load(open(sys.argv[1]))
b = r["batches"][0]
assert (b["answers"], b["new_answers"], b["repeated_answers"]) == (64, 32, 32), b
assert r["prelabel_acceptance"]["answers"] == 32, r["prelabel_acceptance"]
PY

# The round report (cycle writes it after select) shows the figure per round and the last
# ingest's detail.
page=ws/rounds/0002/report.html
for text in "Pre-label acceptance by round" "<td>0001</td>" "<td>0002</td>" \
            "Pre-labels kept unchanged:" "pre-label class" ">repeated<"; do
  grep -qF "$text" $page || fail "the report lacks '$text'"
done
echo "ok"
