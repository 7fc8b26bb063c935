# quarry train and eval: data-parallel training matches one rank, resume after a kill continues
# from the last epoch checkpoint, SIGUSR1 exits 99, and bad input exits 2 with nothing written.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
export QUARRY_PROGRESS=off

expect_exit 0 "$quarry" pool synth --n 4096 --shape 1x28x28 --classes 10 --seed 5 --out pool.h5
expect_exit 0 "$quarry" pool synth --n 1024 --shape 1x28x28 --classes 10 --seed 5 \
  --first-id 100000 --out test.h5
expect_exit 0 "$quarry" model init --pool pool.h5 --arch small-cnn --seed 2 --out start.pt
# Labels for the first 1500 items, as an annotation CSV through the real ingest path.
label_first pool.h5 1500 ledger.h5
common=(--pool pool.h5 --labels ledger.h5 --model start.pt --eval-pool test.h5 --batch 64
  --threads 1)

# --- 1 rank and 2 ranks with the same global batch reach the same accuracy (within a point) ----
expect_exit 0 mpi 1 "$quarry" train "${common[@]}" --epochs 2 --out one.pt
one=$(sed -n 's/^accuracy \([0-9.]*\) on 1024 items.*/\1/p' "$work/stdout")
expect_exit 0 mpi 2 "$quarry" train "${common[@]}" --epochs 2 --out two.pt
expect_stdout "on 2 rank(s)"
two=$(sed -n 's/^accuracy \([0-9.]*\) on 1024 items.*/\1/p' "$work/stdout")
echo "accuracy: 1 rank $one, 2 ranks $two"
awk -v a="$one" -v b="$two" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0.5 && d <= 0.01) }' ||
  fail "1-rank accuracy $one and 2-rank accuracy $two differ by more than a point"
[ -s two.pt.manifest.json ] && [ ! -e two.pt.partial ] || fail "no manifest, or a leftover partial"
# The trained model keeps the contract and records its training; eval reads it on 3 ranks.
expect_exit 0 mpi 3 "$quarry" eval --pool test.h5 --model two.pt --json
$py - "$work/stdout" "$two" <<'PY' || fail "eval on 3 ranks disagrees with training's evaluation"
import json, sys
result = json.load(open(sys.argv[1]))
assert abs(result["accuracy"] - float(sys.argv[2])) < 1e-4, result["accuracy"]
assert len(result["confusion"]) == 10 and sum(map(sum, result["confusion"])) == 1024
PY
$py -c "
import json, torch
m = torch.jit.load('two.pt')
meta = json.loads(m.quarry_training)
assert meta['ranks'] == 2 and meta['labeled_items'] == 1500 and 'eval' in meta
assert abs(float(m.input_scale) - 1 / 255) < 1e-9
" || fail "the trained model lost its attributes or training metadata"

# --- --unlabeled-pool (FixMatch): 1 and 2 ranks alike; the unlabeled items are drawn and
# sharded as the labeled ones, and the manifest records the setting ---------------------------
semi=(--unlabeled-pool --unlabeled-ratio 2 --unlabeled-threshold 0.8 --epochs 2)
expect_exit 0 mpi 1 "$quarry" train "${common[@]}" "${semi[@]}" --out semi-one.pt
one=$(sed -n 's/^accuracy \([0-9.]*\) on 1024 items.*/\1/p' "$work/stdout")
expect_exit 0 mpi 2 "$quarry" train "${common[@]}" "${semi[@]}" --out semi-two.pt
two=$(sed -n 's/^accuracy \([0-9.]*\) on 1024 items.*/\1/p' "$work/stdout")
echo "accuracy with the unlabeled pool: 1 rank $one, 2 ranks $two"
awk -v a="$one" -v b="$two" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0.5 && d <= 0.01) }' ||
  fail "semi-supervised: 1-rank accuracy $one and 2-rank accuracy $two differ by more than a point"
$py -c "
import json
s = json.load(open('semi-two.pt.manifest.json'))['settings']
assert s['unlabeled_pool'] is True and s['unlabeled_ratio'] == 2, s
" || fail "the manifest does not record the semi-supervised settings"

# --- a kill after some epochs: --resume continues from the last epoch checkpoint ---------------
mpi 2 "$quarry" train "${common[@]}" --epochs 8 --out "$work/killed.pt" >killed.log 2>&1 &
kill_training "$work/killed.pt" 2-9
done_epochs=$killed_epochs
[ "$done_epochs" -ge 2 ] && [ "$done_epochs" -lt 8 ] || fail "expected a half-done run, found $done_epochs epochs"
[ ! -e killed.pt ] || fail "a killed run published its model"
expect_exit 0 mpi 2 "$quarry" train "${common[@]}" --epochs 8 --out killed.pt --resume
expect_stderr "resuming at epoch $((done_epochs + 1)) of 8"
expect_stdout "$((8 - done_epochs)) epoch(s) run ($done_epochs resumed)"
[ -s killed.pt ] && [ ! -e killed.pt.partial ] || fail "the resumed run did not finish cleanly"

# --- SIGUSR1: exit 99 after the epoch's checkpoint ---------------------------------------------
mpi 2 "$quarry" train "${common[@]}" --epochs 50 --out usr1.pt >usr1.log 2>&1 &
launcher=$!
# Signalled once the first epoch is checkpointed, so the ranks are inside the epoch loop: a signal
# before it ends a run at once, without a checkpoint (exit 99 all the same).
for _ in $(seq 1200); do
  grep -qs '"epochs_completed"' usr1.pt.partial/state.json && break
  sleep 0.1
done
pkill -USR1 -f "mpiexec .*--out usr1.pt"
code=0
wait $launcher || code=$?
[ "$code" = 99 ] || { cat usr1.log >&2; fail "SIGUSR1 gave exit $code, expected 99"; }
grep -qs '"epochs_completed"' usr1.pt.partial/state.json || fail "no checkpoint after SIGUSR1"
[ ! -e usr1.pt ] || fail "an interrupted run published its model"

# --- bad input: exit 2, nothing written -------------------------------------------------------
bad() { expect_bad_input bad.pt "$@"; }  # bad TEXT COMMAND...
train_bad() { "$quarry" train --pool pool.h5 --model start.pt --out bad.pt --threads 1 "$@"; }
bad "missing.h5: no such ledger file" train_bad --labels missing.h5
# An ingest whose only item is unresolved leaves a ledger without labels.
printf 'id,annotator,label\n%s,a,class1\n%s,b,class2\n' "$($py -c "import h5py; print(h5py.File('pool.h5')['ids'][4000])")" \
  "$($py -c "import h5py; print(h5py.File('pool.h5')['ids'][4000])")" >split.csv
expect_exit 0 "$quarry" ingest --annotations split.csv --format csv --pool pool.h5 \
  --labels empty.h5 --consensus majority --min-confidence 0.9
bad "holds no labels" train_bad --labels empty.h5
bad "--unlabeled-ratio must be at least 1" train_bad --labels ledger.h5 --unlabeled-pool \
  --unlabeled-ratio 0
bad "are not in the pool test.h5" "$quarry" train --pool test.h5 --labels ledger.h5 \
  --model start.pt --out bad.pt
cp ledger.h5 outside.h5
$py -c "import h5py; f = h5py.File('outside.h5', 'r+'); f['labels'][3] = 12"
bad "label 12 is outside the 10 classes" train_bad --labels outside.h5
expect_exit 0 "$quarry" pool synth --n 64 --shape 1x28x28 --classes 3 --out three.h5
expect_exit 0 "$quarry" model init --pool three.h5 --out three.pt
bad "has 3 classes, the pool has 10" "$quarry" train --pool pool.h5 --labels ledger.h5 \
  --model three.pt --out bad.pt
bad "--optimizer 'rmsprop' is not one of adam, sgd" train_bad --labels ledger.h5 --optimizer rmsprop
$py -c "import numpy; numpy.save('unlabeled.npy', numpy.zeros((32, 1, 28, 28), numpy.uint8))"
expect_exit 0 "$quarry" pool import --format npy --input unlabeled.npy --out unlabeled.h5 \
  --classes a,b,c,d,e,f,g,h,i,j
bad "/labels: is missing" mpi 2 "$quarry" eval --pool unlabeled.h5 --model start.pt
# FixMatch's strong views are for uint8 images: a pool of features is refused.
$py -c "
import numpy
numpy.save('features.npy', numpy.random.default_rng(1).normal(size=(40, 8)).astype(numpy.float32))
numpy.save('feature-labels.npy', numpy.arange(40) % 10)"
expect_exit 0 "$quarry" pool import --format npy --input features.npy --labels feature-labels.npy \
  --classes a,b,c,d,e,f,g,h,i,j --out features.h5
expect_exit 0 "$quarry" model init --pool features.h5 --arch mlp --out mlp.pt
label_first features.h5 20 features-ledger.h5
bad "needs a pool of uint8 images" "$quarry" train --pool features.h5 --labels features-ledger.h5 \
  --model mlp.pt --out bad.pt --unlabeled-pool
echo "train: ok"
