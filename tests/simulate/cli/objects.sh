# quarry simulate on a detection pool: random without pre-labels and with them (the active arm adds
# a selection, which the classification test and the unit tests cover), simulated correcting annotators through the real export and ingest, the curve's
# object columns, and the time model: once the model's pre-labels are right, answers that start
# from them cost fewer seconds than drawing the same objects from scratch; without pre-labels
# they do not.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off

# Rectangles on noise (tests/train/support): a detector learns them from 60 images in seconds,
# so round 1's pre-labels are mostly right.
py=/usr/bin/python3
$py "$source_dir/tests/train/support/write_detection_pool.py" pool.h5 --task detect --n 120 --seed 1
$py "$source_dir/tests/train/support/write_detection_pool.py" test.h5 --task detect --n 40 --seed 2 \
  --first-id 100000
run() {
  "$quarry" simulate --pool pool.h5 --test-pool test.h5 --seeds 1 --initial 60 --batch 30 \
    --rounds 1 --warm-start true --epochs 4 --train-images 1200 --train-batch 8 \
    --votes-per-item 1 --threads 2 "$@"
}

expect_exit 0 run --out sim --strategies random
expect_stdout "annotator seconds to reach random's final AP@.5"
csv=sim/curve.csv
[ "$(head -1 $csv)" = "strategy,seed,round,labels,accuracy,votes,objects,seconds,scratch_seconds,ap50,ap,oks_ap" ] ||
  fail "curve.csv header: $(head -1 $csv)"
[ "$(tail -n +2 $csv | cut -d, -f1,3,4,6 | tr '\n' ' ')" = \
  "random,0,60,60 random,1,90,90 random+prelabels,0,60,60 random+prelabels,1,90,90 " ] ||
  { cat $csv; fail "curve rows"; }
# accuracy is AP@.5 on a detection pool; objects and seconds grow.
awk -F, 'NR > 1 && ($5 != $10 || $7 < 1 || $8 <= 0 || $9 <= 0) {exit 1}' $csv ||
  { cat $csv; fail "object columns"; }
grep -q "^random+prelabels,1,random," sim/seeds.csv || fail "seeds.csv"
grep -q "seconds_saving_mean" sim/summary.csv || fail "summary.csv lacks seconds"
[ -f sim/summary-vs-random-prelabels.csv ] || fail "no summary against random with pre-labels"

# Round 1's answers: the seconds of that round and what the same answers would cost from scratch.
round1() { # ARM FOLDER -> "seconds scratch"
  awk -F, -v arm="$1" '$1 == arm && $3 == 0 {s0 = $8; c0 = $9} $1 == arm && $3 == 1 {
    print $8 - s0, $9 - c0}' "$2/curve.csv"
}
read -r with scratch <<<"$(round1 random+prelabels sim)"
echo "round 1, random with pre-labels: $with s; from scratch $scratch s"
# The pre-labels came from the round's export and ingest accounted for them.
[ -f sim/runs/random+prelabels/seed-1/export-0000.prelabels.csv ] || fail "no export"
grep -q '"kept": [1-9]' sim/runs/random+prelabels/seed-1/labels.h5.manifest.json ||
  fail "ingest counted no kept pre-label"
# Measured: 0.80 of the scratch seconds with pre-labels (AP@.5 0.88 after round 0), 0.96 without.
# Pre-labels that were mostly wrong (false boxes cost a deletion each) would not pass.
awk -v a="$with" -v b="$scratch" 'BEGIN {exit !(a < 0.9 * b)}' ||
  fail "pre-labels did not save time: $with s against $scratch s from scratch"
# Without pre-labels the same images cost about what drawing from scratch does.
read -r none scratch_none <<<"$(round1 random sim)"
echo "round 1, random without pre-labels: $none s; from scratch $scratch_none s"
awk -v a="$none" -v b="$scratch_none" 'BEGIN {exit !(a > 0.9 * b && a <= 1.1 * b)}' ||
  fail "random without pre-labels: $none s against $scratch_none s from scratch"
# The arms after random start from random's round 0 instead of training it again.
grep -q "random+prelabels seed 1 round 0: the same as random's, copied" stdout ||
  fail "round 0 was not shared"

# --resume reuses every finished arm, those with pre-labels included.
cp $csv first.csv
expect_exit 0 run --out sim --strategies random --resume
expect_stdout "simulate random+prelabels seed 1: reusing"
cmp -s $csv first.csv || fail "--resume changed the curve"

# Options that cannot work on a detection pool: exit 2, nothing written.
expect_exit 2 run --out bad --audit-folds 2
expect_stderr "--audit-folds"
expect_exit 2 "$quarry" simulate --pool pool.h5 --test-pool test.h5 --out bad --votes-per-item 5
expect_stderr "object annotator"
expect_exit 2 run --out bad --annotator-seconds draw=x
expect_stderr "--annotator-seconds"
[ ! -e bad/curve.csv ] || fail "bad options wrote a curve"
