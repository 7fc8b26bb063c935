#!/usr/bin/env bash
# Two nodes: an emulated two-node Slurm cluster on this host (slurm/local/start --nodes 2, one
# slurmd per node, one CPU each). score, select, train and eval run with their ranks spread over
# both nodes by `srun -N2` and write the same bytes (the same JSON for eval) as one node's
# `mpirun -np 2` with the same threads per rank. The ranks see two nodes with local rank 0 on each
# (the rank that takes GPU 0 of its node) and take the one CPU Slurm gave each task, not the
# host's cores. Then a round through quarry submit with score and train on 2 nodes, its scoring
# killed mid-way and resumed across nodes.
# Exit 77 (skipped) only when this machine cannot run the cluster (no slurm-wlm, not root).
source "$(dirname "$0")/../../support/lib.bash"
source "$(dirname "$0")/../../support/slurm.bash"
start_test_cluster --nodes 2
[ "$(sinfo -h -N -o %N | sort -u | tr '\n' ' ')" = "n1 n2 " ] || fail "the cluster lacks nodes n1 and n2"

one_node() { expect_exit 0 "$source_dir/tests/support/run_mpi" 2 "$quarry" "$@"; }
two_nodes() { expect_exit 0 srun -N2 -n2 --kill-on-bad-exit=1 "$quarry" "$@"; }
same_file() { cmp "$1" "$2" >/dev/null || fail "$1 and $2 differ"; }

"$quarry" pool synth --n 6000 --shape 1x28x28 --classes 4 --seed 3 --out pool.h5 >/dev/null
"$quarry" pool synth --n 600 --shape 1x28x28 --classes 4 --seed 4 --out test.h5 >/dev/null
"$quarry" model init --pool pool.h5 --arch small-cnn --seed 5 --out model.pt >/dev/null
label_first pool.h5 300 labels.h5

# Scoring: no --threads on two nodes, so each rank sizes its pools from what Slurm gave it.
one_node score --pool pool.h5 --model model.pt --out one.scores.h5 --threads 1 --unit-chunks 1
two_nodes score --pool pool.h5 --model model.pt --out two.scores.h5 --unit-chunks 1
expect_stdout "on 2 rank(s) over 2 nodes x 1 thread(s)"
same_file one.scores.h5 two.scores.h5
/usr/bin/python3 - two.scores.h5.manifest.json <<'PY' || fail "placement on two nodes is wrong"
import json, sys
placement = json.load(open(sys.argv[1]))["placement"]
assert placement["nodes"] == 2, placement
ranks = placement["ranks"]
assert [(r["node"], r["local_rank"], r["threads"]) for r in ranks] == [("n1", 0, 1), ("n2", 0, 1)], ranks
PY
# The same ranks on one node: local ranks 0 and 1 of one host.
grep -q '"nodes": 1' one.scores.h5.manifest.json || fail "one node's placement lacks nodes: 1"

# The same scores file for both (the selection records its name); the two are equal anyway.
one_node select --scores one.scores.h5 --k 40 --strategy kcenter --labels labels.h5 --out one.sel.h5
two_nodes select --scores one.scores.h5 --k 40 --strategy kcenter --labels labels.h5 --out two.sel.h5
same_file one.sel.h5 two.sel.h5

train=(train --pool pool.h5 --labels labels.h5 --model model.pt --epochs 2 --batch 64 --threads 1)
mkdir one two  # the model records its file name: the same name in two folders
one_node "${train[@]}" --out one/model.pt
two_nodes "${train[@]}" --out two/model.pt
same_file one/model.pt two/model.pt
grep -q '"nodes": 2' two/model.pt.manifest.json || fail "training did not run on two nodes"

one_node eval --pool test.h5 --model two/model.pt --json --threads 1
mv "$work/stdout" one.eval.json
two_nodes eval --pool test.h5 --model two/model.pt --json --threads 1
same_file one.eval.json "$work/stdout"

# A round through quarry submit: score sized to 2 nodes (one per 20000 items), train on 2 nodes,
# one rank of one CPU per node (what each emulated node has).
"$quarry" pool synth --n 40000 --shape 1x28x28 --classes 4 --out big.h5 >/dev/null
"$source_dir/tests/support/run_mpi" 2 "$quarry" init ws --pool big.h5 \
  --settings "$source_dir/configs/local.ini" --k 16 --seed-labels 16 --set train.epochs=1 \
  --set score.unit-chunks=1 --set slurm.score.items-per-node=20000 --set slurm.train.nodes=2 \
  --set slurm.score.ntasks-per-node=1 --set slurm.train.ntasks-per-node=1 \
  --set slurm.select.ntasks-per-node=1 >/dev/null
"$source_dir/tools/answer-export" ws/rounds/0000/export big.h5 ws/inbox/seed.csv --annotators ann,bob \
  --accuracy 1 >/dev/null
expect_exit 0 "$quarry" submit ws
[ "$(scontrol show job "$(job_of score)" | grep -o 'NumNodes=[0-9]*')" = NumNodes=2 ] ||
  fail "the score job did not ask for 2 nodes"
wait_for_queue
grep -q '"complete": true' ws/rounds/0001/manifest.json || fail "round 1 did not complete"
for stage in scores.h5 model.pt; do
  grep -q '"nodes": 2' ws/rounds/0001/$stage.manifest.json || fail "$stage was not made on 2 nodes"
done

# Round 2: scoring on both nodes killed mid-way; submitted again, it resumes from the committed
# units (written by both nodes' ranks into the shared workspace).
expect_exit 0 "$quarry" submit ws
kill_scoring ws 0002 "$(job_of score)"
committed=$(units ws/rounds/0002/scores.h5.partial)
expect_exit 0 "$quarry" submit ws
expect_stdout "round 0002: submitted score"
score_job=$(job_of score)
wait_for_queue
grep -q '"complete": true' ws/rounds/0002/manifest.json || fail "round 2 did not complete"
resumed=$(sed -n 's/.*round 0002 score: 40000 items (\([0-9]*\) of [0-9]* units resumed).*/\1/p' \
  ws/logs/quarry-score-0002-"$score_job".out)
[ -n "$resumed" ] && [ "$resumed" -ge "$committed" ] ||
  fail "round 2 scoring resumed '$resumed' units, $committed were committed"
grep -q '"nodes": 2' ws/rounds/0002/scores.h5.manifest.json || fail "the resumed scoring left a node out"
echo "ok"
