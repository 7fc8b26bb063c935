#!/usr/bin/env bash
# Rounds on a real Slurm cluster (slurm/local: munged, slurmctld and slurmd on this machine):
# quarry submit queues one job per stage, chained with afterok; every stage's manifest and output
# is checked after the jobs ran. Then a stage is killed (SIGKILL) mid-scoring: the rest of the
# chain is cancelled, and the round submitted again resumes at the killed stage from its
# committed units. Last, a stage stopped by SIGUSR1 (what --signal=USR1@300 sends before the
# time limit) exits 99 and its job requeues itself and finishes. Last, a detection workspace's
# round runs through the same job chain and templates (issue 18).
# Exit 77 (skipped) only when this machine cannot run the cluster (no slurm-wlm, not root).
source "$(dirname "$0")/../../support/lib.bash"
source "$(dirname "$0")/../../support/slurm.bash"
start_test_cluster

"$quarry" pool synth --n 40000 --shape 1x28x28 --classes 4 --out pool.h5 >/dev/null
"$source_dir/tests/support/run_mpi" 2 "$quarry" init ws --pool pool.h5 --settings "$source_dir/configs/local.ini" \
  --k 16 --seed-labels 16 --set train.epochs=1 --set score.unit-chunks=1 --set score.threads=1 \
  >/dev/null
# Annotators who never err: every item is resolved, so round 1 exports exactly its 16 picks (the
# consensus paths are tested elsewhere).
"$source_dir/tools/answer-export" ws/rounds/0000/export pool.h5 ws/inbox/seed.csv --annotators ann,bob \
  --accuracy 1 >/dev/null

# Round 1: every stage as its own job.
expect_exit 0 "$quarry" submit ws
expect_stdout "round 0001: submitted ingest"
for stage in ingest train score select export; do
  [ -n "$(job_of "$stage")" ] || fail "no job id for $stage"
done
wait_for_queue
round=ws/rounds/0001
for output in ingest.json model.pt scores.h5 selection.h5 export; do
  [ -e "$round/$output" ] || fail "$round/$output missing"
  grep -q '"complete": true' "$round/$output.manifest.json" || fail "$output manifest not complete"
done
grep -q '"complete": true' "$round/manifest.json" || fail "round manifest not complete"
[ "$(tail -n +2 "$round/export/csv/items.csv" | wc -l)" = 16 ] || fail "export lacks 16 items"
[ -e "$round/ingested/seed.csv" ] || fail "the inbox file was not ingested"
grep -q '"ranks": 2' "$round/scores.h5.manifest.json" || fail "scoring did not run on 2 ranks"
grep -q "round 0001 train: 16 labels" ws/logs/quarry-train-0001-*.out || fail "train did not train"
expect_exit 0 "$quarry" status ws
[ "$(grep -c '^0001 .* done .* COMPLETED' "$work/stdout")" = 5 ] || {
  cat "$work/stdout" >&2
  fail "status does not show 5 completed stages"
}
expect_stdout "16 labels on the ledger"

# Round 2: scoring killed mid-way; the chain behind it is cancelled.
expect_exit 0 "$quarry" submit ws
score_job=$(job_of score)
select_job=$(job_of select)
expect_exit 1 "$quarry" submit ws
expect_stderr "round 0002 already has jobs in the queue"
kill_scoring ws 0002 "$score_job"
[ "$(job_state "$select_job")" = CANCELLED ] || fail "select ran after a failed score: $(job_state "$select_job")"
committed=$(units ws/rounds/0002/scores.h5.partial)
expect_exit 0 "$quarry" status ws
expect_stdout "partial (resumes)"

expect_exit 0 "$quarry" submit ws
expect_stdout "round 0002: submitted score"
score_job=$(job_of score)
wait_for_queue
grep -q '"complete": true' ws/rounds/0002/manifest.json || fail "round 2 did not complete"
log=ws/logs/quarry-score-0002-$score_job.out
resumed=$(sed -n 's/.*round 0002 score: 40000 items (\([0-9]*\) of [0-9]* units resumed).*/\1/p' "$log")
[ -n "$resumed" ] && [ "$resumed" -ge "$committed" ] ||
  fail "round 2 scoring resumed '$resumed' units, $committed were committed"

# Round 3: SIGUSR1 to the scoring ranks -> exit 99 -> the job requeues itself and finishes.
expect_exit 0 "$quarry" submit ws
score_job=$(job_of score)
wait_for_units ws/rounds/0003/scores.h5.partial
scancel --signal=USR1 "$score_job"
# Slurm holds a requeued job back for a while (BeginTime); let it start again sooner (a few
# seconds later, or the node refuses the credential of the requeued instance).
for _ in $(seq 1 1200); do
  [ "$(job_state "$score_job")" = PENDING ] && break
  sleep 0.1
done
[ "$(job_state "$score_job")" = PENDING ] || fail "job $score_job was not requeued: $(job_state "$score_job")"
scontrol update jobid="$score_job" starttime=now+5
wait_for_queue
grep -q '"complete": true' ws/rounds/0003/manifest.json || fail "round 3 did not complete"
log=ws/logs/quarry-score-0003-$score_job.out
grep -q "requeueing job $score_job" "$log" || { cat "$log" >&2; fail "the stage did not requeue"; }
grep -q "(restart 1)" "$log" || fail "the requeued job did not run again"

# A detection workspace: the seed round's objects answered from the pool's truth, round 1 as one
# job per stage with the local settings; the train job evaluates the detector (AP@.5) and the
# export job writes the round model's detections as pre-labels.
"$quarry" pool synth --task detect --n 200 --shape 1x64x64 --seed 5 --out scenes.h5 >/dev/null
"$quarry" pool synth --task detect --n 40 --shape 1x64x64 --seed 6 --first-id 100000 \
  --out scenes-test.h5 >/dev/null
"$source_dir/tests/support/run_mpi" 2 "$quarry" init det --pool scenes.h5 --eval-pool scenes-test.h5 \
  --settings "$source_dir/configs/local.ini" --k 16 --seed-labels 16 --set train.images=320 \
  --set score.unit-chunks=1 --set score.threads=1 >/dev/null
/usr/bin/python3 "$source_dir/tests/pipeline/support/objects_answer.py" scenes.h5 \
  det/rounds/0000/selection.h5 det/inbox/seed.csv oracle
expect_exit 0 "$quarry" submit det
expect_stdout "round 0001: submitted ingest"
wait_for_queue
round=det/rounds/0001
grep -q '"complete": true' "$round/manifest.json" || fail "the detection round did not complete"
grep -q "round 0001 train: 16 labels, 20 epoch(s)" det/logs/quarry-train-0001-*.out ||
  fail "the detector did not train on the ledger's 16 items"
grep -q ", eval AP@.5 " det/logs/quarry-train-0001-*.out || fail "the detector was not evaluated"
[ -s "$round/export/csv/objects.csv" ] && [ -e "$round/export.prelabels.csv" ] ||
  fail "the detection export lacks its objects or pre-labels"
grep -q '"ranks": 2' "$round/scores.h5.manifest.json" || fail "scoring did not run on 2 ranks"
expect_exit 0 "$quarry" status det
[ "$(grep -c '^0001 .* done .* COMPLETED' "$work/stdout")" = 5 ] || {
  cat "$work/stdout" >&2
  fail "status does not show the detection round's 5 completed stages"
}
expect_stdout "eval AP@.5 "
echo "ok"
