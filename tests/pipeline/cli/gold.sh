#!/usr/bin/env bash
# gold-rate in a workspace: each export mixes labeled items in (their labels in
# rounds/NNNN/export.gold.csv, never inside the export), and the next round's ingest scores
# the annotators on them.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 3000 --shape 1x28x28 --classes 4 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --k 16 --seed-labels 16 --set formats=csv --set gold-rate=0.25 \
  --set train.epochs=1 --set score.threads=1 --set annotators=ann,bob \
  --set annotators-per-item=2 >/dev/null
grep -q "^gold-rate = 0.25" ws/quarry.ini || fail "quarry.ini lacks gold-rate"
"$source_dir/tools/answer-export" ws/rounds/0000/export pool.h5 ws/inbox/seed.csv \
  --annotators ann,bob >/dev/null

# Round 1: no gold yet in its ingest; its export holds 16 selected + 4 gold items.
expect_exit 0 "$quarry" cycle ws
gold=ws/rounds/0001/export.gold.csv
[ -e "$gold" ] || fail "the export wrote no gold list"
[ "$(tail -n +2 "$gold" | wc -l)" = 4 ] || fail "expected 4 gold items, got: $(cat "$gold")"
# 16 selected and 4 gold items, and the seed round's items that went to adjudication (where ann
# and bob disagreed, Dawid-Skene cannot tell which of two equally reliable annotators is right).
waiting=$(/usr/bin/python3 -c 'import h5py; print(len(h5py.File("ws/labels.h5")["adjudicate/ids"]))')
[ "$(tail -n +2 ws/rounds/0001/export/csv/items.csv | wc -l)" = $((20 + waiting)) ] ||
  fail "export lacks 20 + $waiting items"
grep -rq "gold" ws/rounds/0001/export && fail "the export shows annotators which items are gold"
gold_ids=$(tail -n +2 "$gold" | cut -d, -f1 | sort)
ledger_ids=$(/usr/bin/python3 -c 'import h5py; print("\n".join(map(str, h5py.File("ws/labels.h5")["ids"][:])))' | sort)
[ -z "$(comm -23 <(echo "$gold_ids") <(echo "$ledger_ids"))" ] || fail "a gold item is not on the ledger"

# Round 2: the answers to round 1's export are scored against its gold list.
"$source_dir/tools/answer-export" ws/rounds/0001/export pool.h5 ws/inbox/round1.csv \
  --annotators ann,bob --accuracy 1.0 >/dev/null
expect_exit 0 "$quarry" cycle ws
grep -q '"gold/1"' ws/rounds/0002/ingest.json.manifest.json || fail "ingest did not use the gold list"
for annotator in ann bob; do
  grep -Eq "^$annotator +[0-9]+ +1\.000 " "$work/stdout" || {
    cat "$work/stdout" >&2
    fail "$annotator has no gold accuracy of 1.000"
  }
done

# (Gold lists that contradict each other: tests/ingest, GoldFilesThatDisagreeAreBadInput.)
echo "ok"
