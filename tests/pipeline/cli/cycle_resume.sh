#!/usr/bin/env bash
# quarry cycle on 2 ranks, killed (SIGKILL, every rank) in the middle of scoring: a second cycle
# meanwhile is refused by the workspace lock; the next cycle keeps the finished stages as they
# are, resumes scoring from its committed units and finishes the round.
source "$(dirname "$0")/../../support/lib.bash"
# The workspace's absolute path makes this test's processes unique on the machine: other tests
# run `quarry cycle ws` at the same time, and the kills below must not reach them.
ws=$work/ws

"$quarry" pool synth --n 60000 --shape 1x28x28 --classes 4 --out pool.h5 >/dev/null
"$quarry" init "$ws" --pool pool.h5 --k 20 --set formats=csv --set score.unit-chunks=1 \
  --set score.threads=1 >/dev/null

setsid "$source_dir/tests/support/run_mpi" 2 "$quarry" cycle "$ws" >cycle1.out 2>&1 &
job=$!
partial=$ws/rounds/0001/scores.h5.partial
units() { ls "$partial" 2>/dev/null | grep -c '^unit-.*bin$' || true; }
for _ in $(seq 1 1200); do
  [ "$(units)" -ge 2 ] && break
  kill -0 "$job" 2>/dev/null || { cat cycle1.out >&2; fail "the cycle ended before scoring"; }
  sleep 0.05
done
[ "$(units)" -ge 2 ] || fail "scoring never committed a unit"
# Frozen at once (scoring all 59 units takes only seconds): the checks below must not race it.
kill -STOP -- "-$job" 2>/dev/null || true
pkill -STOP -f "$quarry cycle $ws" || true

# One cycle per workspace at a time (a stopped process still holds the lock).
expect_exit 1 "$quarry" cycle "$ws"
expect_stderr "is busy: quarry cycle (pid"
expect_exit 0 "$quarry" status "$ws"
expect_stdout "busy: quarry cycle (pid"

kill_cycle "$job" "$ws"
[ -e $ws/rounds/0001/scores.h5.manifest.json ] && fail "scoring finished before it was killed"
grep -q '"complete": true' $ws/rounds/0001/model.pt.manifest.json || fail "train was not done"
committed=$(units)
model_sum=$(sha256sum $ws/rounds/0001/model.pt)
ingest_manifest=$(cat $ws/rounds/0001/ingest.json.manifest.json)

expect_exit 0 "$quarry" status "$ws"
grep -q "busy:" "$work/stdout" && fail "status reports the killed cycle as running"
expect_stdout "0001   score   not done"
expect_stdout "partial (resumes)"

expect_exit 0 "$source_dir/tests/support/run_mpi" 2 "$quarry" cycle "$ws"
expect_stdout "round 0001 ingest: already done"
expect_stdout "round 0001 train: already done"
resumed=$(sed -n 's/.*round 0001 score: 60000 items (\([0-9]*\) of \([0-9]*\) units resumed).*/\1/p' "$work/stdout")
[ -n "$resumed" ] && [ "$resumed" -ge "$committed" ] ||
  fail "scoring resumed $resumed units, $committed were committed"
expect_stdout "round 0001 complete: export in"
[ "$(sha256sum $ws/rounds/0001/model.pt)" = "$model_sum" ] || fail "the finished model was redone"
[ "$(cat $ws/rounds/0001/ingest.json.manifest.json)" = "$ingest_manifest" ] || fail "ingest was redone"
[ ! -e "$partial" ] || fail "the partial scores were left behind"
grep -q '"complete": true' $ws/rounds/0001/manifest.json || fail "round manifest not complete"
grep -q "<svg" $ws/rounds/0001/report.html || fail "the finished round has no HTML report"
[ "$(tail -n +2 $ws/rounds/0001/export/csv/items.csv | wc -l)" = 20 ] || fail "export lacks 20 items"

# A finished stage is not redone.
expect_exit 0 "$quarry" cycle "$ws" --stage score --round 1
expect_stdout "round 0001 score: already done"
echo "ok"
