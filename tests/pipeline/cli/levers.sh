#!/usr/bin/env bash
# The label-efficiency levers through quarry init and quarry cycle (issue 20): a TypiClust seed
# round, FixMatch training, the label audit's flags (flags.csv, the ledger's pending flags, the
# next export's adjudication, settled by the answers), and the stopping criterion's stop.json,
# quarry status line and round-report section.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3

"$quarry" pool synth --n 3000 --shape 1x28x28 --classes 4 --out pool.h5 >/dev/null
# A kappa threshold every pair of rounds reaches, with a window of one: it fires at round 1.
expect_exit 0 "$quarry" init ws --pool pool.h5 --k 16 --seed-labels 16 --set formats=csv \
  --set train.epochs=1 --set score.threads=1 --set train.threads=1 --set seed-strategy=typiclust \
  --set stop.set-size=500 --set stop.kappa=-0.99 --set stop.window=1 --set audit.folds=2 \
  --set train.unlabeled-pool=true --set train.unlabeled-ratio=2
expect_stdout "16 items picked by typiclust"
$py -c "
import h5py
s = h5py.File('ws/rounds/0000/selection.h5', 'r')
strategy = s.attrs['strategy']
assert (strategy.decode() if isinstance(strategy, bytes) else strategy) == 'typiclust', strategy
assert len(s['ids']) == 16
" || fail "the seed round did not select by typiclust"
[ ! -e ws/rounds/0000/stop.json ] || fail "the seed round has no earlier round to compare with"
"$source_dir/tools/answer-export" ws/rounds/0000/export pool.h5 ws/inbox/seed.csv >/dev/null

expect_exit 0 "$quarry" cycle ws
expect_stdout "round 0001 audit:"
expect_stdout "round 0001 stop set: kappa"
head -1 ws/rounds/0001/flags.csv | grep -qx "id,given,suggested,probability" ||
  fail "flags.csv lacks its header"
[ ! -e ws/rounds/0001/audit ] || fail "the audit left its fold files"
$py -c "
import json
stop = json.load(open('ws/rounds/0001/stop.json'))
assert stop['round'] == 1 and stop['previous_round'] == 0 and stop['stop_set'] == 500, stop
assert -1 <= stop['kappa'] <= 1, stop
train = json.load(open('ws/rounds/0001/model.pt.manifest.json'))['settings']
assert train['unlabeled_pool'] is True and train['unlabeled_ratio'] == 2, train
" || fail "stop.json or the training settings are wrong"
expect_exit 0 "$quarry" status ws
expect_stdout "stopping: fired at round 0001"
grep -q "Stopping criterion" ws/rounds/0001/report.html || fail "the round report lacks stopping"

# The flags are on the ledger, pending, and this round's export sends their items out again
# first; the next round's ingest of the answers settles them.
$py -c "
import csv, h5py, json
flagged = sorted(int(row['id']) for row in csv.DictReader(open('ws/rounds/0001/flags.csv')))
assert flagged, 'the planted audit flagged nothing: the test would prove nothing'
ledger = h5py.File('ws/labels.h5', 'r')
assert sorted(ledger['flags/ids'][:].tolist()) == flagged, 'ledger flags differ from flags.csv'
assert (ledger['flags/resolved_round'][:] == -1).all(), 'a flag is settled before any answer'
assert set(flagged) <= set(ledger['adjudicate/ids'][:].tolist()), 'flags not up for adjudication'
export = json.load(open('ws/rounds/0001/export.manifest.json'))['settings']['adjudication_ids']
assert set(flagged) <= set(export), 'the export left out flagged items'
" || fail "the flags did not reach the ledger and the export"
"$source_dir/tools/answer-export" ws/rounds/0001/export pool.h5 ws/inbox/r1.csv >/dev/null
expect_exit 0 "$quarry" cycle ws
expect_stdout "flagged labels answered again: "
# A flag settles when its item's new answers reach a confident consensus; one whose answers
# still disagree stays pending, up for adjudication again (which flags these are depends on
# the model and the simulated answers).
$py -c "
import h5py
ledger = h5py.File('ws/labels.h5', 'r')
flags = ledger['flags']
first = flags['round'][:] == 1
settled = flags['resolved_round'][:][first] == 2
assert first.any() and settled.sum() >= first.sum() / 2, 'round 1 flags mostly unsettled'
waiting = set(ledger['adjudicate/ids'][:].tolist())
for flag_id, done in zip(flags['ids'][:][first], settled):
    assert done or int(flag_id) in waiting, f'flag {flag_id} neither settled nor up for adjudication'
" || fail "the answers did not settle the flags"
expect_exit 0 "$quarry" status ws
expect_stdout " settled"

# Bad values are refused by key before anything runs.
expect_exit 2 "$quarry" init bad --pool pool.h5 --set audit.folds=1
expect_stderr "audit.folds: must be 0 (off) or at least 2"
[ ! -e bad ] || fail "a refused init left a workspace"
echo "levers: ok"
