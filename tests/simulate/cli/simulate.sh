# quarry simulate from configs/simulate-small.ini: simulated annotators through the real ingest,
# training, scoring and selection, at 1 and 2 ranks; the CSV, summary, manifest and a report that
# headless Chromium renders; --resume, refusal to overwrite, and bad input with nothing written.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off
config=$source_dir/configs/simulate-small.ini

"$quarry" pool synth --n 600 --shape 1x28x28 --classes 4 --out pool.h5 --seed 1 >/dev/null
"$quarry" pool synth --n 300 --shape 1x28x28 --classes 4 --out test.h5 --seed 1 --first-id 100000 >/dev/null

expect_exit 0 "$quarry" simulate --config "$config" --seeds 1 --strategies margin-kcenter
expect_stdout "saving vs random"
csv=simulation/curve.csv
[ "$(head -1 $csv)" = "strategy,seed,round,labels,accuracy,votes" ] || fail "curve.csv header"
# random and margin-kcenter, one seed, rounds 0..2: 100 labels bought per round, 3 votes each.
[ "$(tail -n +2 $csv | cut -d, -f1,3,4,6 | tr '\n' ' ')" = \
  "random,0,100,300 random,1,200,600 random,2,300,900 margin-kcenter,0,100,300 margin-kcenter,1,200,600 margin-kcenter,2,300,900 " ] ||
  { cat $csv; fail "curve rows"; }
# Both strategies start from the same random labels and seeded model: the same first accuracy.
[ "$(awk -F, '$3 == 0 {print $5}' $csv | sort -u | wc -l)" = 1 ] || fail "round 0 differs"
awk -F, 'NR > 1 && ($5 < 0.3 || $5 > 1) {exit 1}' $csv || fail "accuracy out of range"
[ "$(cut -d, -f1 simulation/summary.csv | tr '\n' ' ')" = "strategy random margin-kcenter " ] ||
  fail "summary rows"
grep -q '"complete": true' simulation/curve.csv.manifest.json || fail "no complete manifest"
# The answers went through quarry ingest: the run's ledger manifest records them.
grep -q '"consensus": "dawid-skene"' simulation/runs/margin-kcenter/seed-1/labels.h5.manifest.json ||
  fail "no ingest manifest"
[ "$(wc -l < simulation/runs/random/seed-1/answers-0001.csv)" = 301 ] || fail "answers csv"
grep -q "Learning curves" simulation/report.html || fail "report lacks the curves"
/usr/bin/python3 "$source_dir/tests/report/support/render_check.py" "$work/simulation/report.html" "$work/shot.png"

# Finished results are kept unless --force; --resume reuses the finished runs.
expect_exit 2 "$quarry" simulate --config "$config" --seeds 1 --strategies margin-kcenter
expect_stderr "--force"
cp $csv first.csv
expect_exit 0 "$quarry" simulate --config "$config" --seeds 1 --strategies margin-kcenter --resume
expect_stdout "reusing"
cmp -s $csv first.csv || fail "--resume changed the curve"
# A finished run is reused only with the settings it ran with; random's ignore selection's.
expect_exit 0 "$quarry" simulate --config "$config" --seeds 1 --strategies margin-kcenter \
  --resume --candidates 150 --rounds 1 --out random-reused
expect_exit 2 "$quarry" simulate --config "$config" --seeds 1 --strategies margin-kcenter \
  --resume --candidates 200 --rounds 1 --out random-reused
expect_stderr "runs/margin-kcenter/seed-1/settings.json"
expect_stderr "candidates"
cp random-reused/curve.csv reused-first.csv
expect_exit 0 "$quarry" simulate --config "$config" --seeds 1 --strategies topk \
  --resume --candidates 200 --rounds 1 --out random-reused
expect_stdout "simulate random seed 1: reusing"
grep -q "^topk," random-reused/curve.csv || fail "the new strategy did not run"
expect_exit 2 "$quarry" simulate --config "$config" --seeds 1 --strategies topk \
  --resume --epochs 2 --rounds 1 --out random-reused
expect_stderr "runs/random/seed-1/settings.json"
expect_stderr "epochs"

# FixMatch's ratio reaches training and the run's recorded settings; a ratio below 1 is refused
# before anything is written.
expect_exit 2 "$quarry" simulate --config "$config" --seeds 1 --strategies topk --rounds 1 \
  --unlabeled-pool true --unlabeled-ratio 0 --out no-ratio
expect_stderr "--unlabeled-ratio must be at least 1"
[ ! -e no-ratio ] || fail "a refused ratio left output"
expect_exit 0 "$quarry" simulate --config "$config" --seeds 1 --strategies topk --rounds 1 \
  --epochs 1 --unlabeled-pool true --unlabeled-ratio 2 --out fixmatch
grep -q '"unlabeled_ratio": 2' fixmatch/runs/topk/seed-1/settings.json ||
  fail "the run's settings lack the ratio"

# The stopping criterion: stopping.csv has a kappa for every model after the first, the last
# round's included; with a threshold every pair of rounds reaches it fires at round 1, and
# simulate says how far that is from where the test curve flattened.
expect_exit 0 "$quarry" simulate --config "$config" --seeds 1 --strategies topk --rounds 2 \
  --epochs 1 --stop-set 100 --stop-kappa -0.99 --stop-window 1 --out stopping
expect_stdout "simulate topk seed 1: stopping: fired at round 0001"
expect_stdout "It fired with 200 labels, "
expect_stdout "the test curve came within 0.5 points of it at round 0002: the criterion fired 1 round(s) early"
for arm in random topk; do
  [ "$(tail -n +2 stopping/runs/$arm/seed-1/stopping.csv | cut -d, -f1,2 | tr '\n' ' ')" = \
    "1,200 2,300 " ] || { cat stopping/runs/$arm/seed-1/stopping.csv; fail "$arm stopping.csv"; }
done

# Two ranks: the same labels and votes per round (the bought batches have the same size).
expect_exit 0 mpi 2 "$quarry" simulate --config "$config" --seeds 1 --strategies topk \
  --rounds 1 --out two-ranks
[ "$(tail -n +2 two-ranks/curve.csv | cut -d, -f1,3,4,6 | tr '\n' ' ')" = \
  "random,0,100,300 random,1,200,600 topk,0,100,300 topk,1,200,600 " ] || fail "2-rank curve"
grep -q '"ranks": 2' two-ranks/curve.csv.manifest.json || fail "2-rank manifest"

# Bad input: exit 2 and nothing published.
expect_exit 2 "$quarry" simulate --config "$config" --test-pool missing.h5 --out bad
expect_stderr "missing.h5"
[ ! -e bad/curve.csv ] || fail "published after bad input"
expect_exit 2 "$quarry" simulate --config "$config" --votes-per-item 9 --out bad
expect_stderr "--votes-per-item"
expect_exit 2 "$quarry" simulate --config "$config" --rounds 9 --out bad
expect_stderr "fewer than"
expect_exit 2 "$quarry" simulate --config "$config" --strategies nonsense --out bad
expect_stderr "nonsense"
[ ! -e bad/curve.csv ] || fail "published after bad input"
echo ok
