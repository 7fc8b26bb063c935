# quarry score: identical scores for any rank count, bitwise resume after SIGKILL, exit 99 and a
# resumable state on SIGUSR1, and bad input that exits 2 and publishes nothing.
source "$(dirname "$0")/../../support/lib.bash"
source "$source_dir/tests/score/support/guarantees.bash"
py=/usr/bin/python3  # Debian's python3 with python3-h5py and python3-torch
export QUARRY_PROGRESS=off

# 6144 items in 1024-row chunks: with --unit-chunks 1 there are 6 work units.
expect_exit 0 "$quarry" pool synth --n 6144 --shape 1x28x28 --classes 10 --seed 3 --out pool.h5
expect_exit 0 "$quarry" model init --pool pool.h5 --arch small-cnn --seed 1 --out model.pt
common=(--pool pool.h5 --model model.pt --unit-chunks 1 --threads 1 --mc-samples 2)

# --- the same scores from 1, 2 and 3 ranks (bitwise: the same threads per rank) ---------------
same_for_rank_counts 6144
$py - <<'PY' || fail "the classification scores break the contract"
import h5py, numpy as np
files = [h5py.File(f"np{n}.h5", "r") for n in (1, 2, 3)]
assert sorted(files[0]["scores"]) == sorted(
    ["margin", "entropy", "least_confidence", "bald", "variation_ratio"]), list(files[0]["scores"])
assert "detections" not in files[0] and "task" not in files[0].attrs
pool = h5py.File("pool.h5", "r")
assert np.array_equal(files[0]["ids"][()], pool["ids"][()]), "ids are not the pool's, in order"
assert files[0]["probs"].dtype == np.float16 and files[0]["embeddings"].dtype == np.float16
assert files[0]["embeddings"].shape == (6144, 128)
probs = files[0]["probs"][()].astype(np.float32)
assert np.allclose(probs.sum(1), 1, atol=1e-2)
# pred is the most probable class wherever fp16 rounding of the stored probs cannot have changed
# the order: each stored value moved by at most half a spacing, so the top two by less than one.
top2 = np.sort(probs, 1)[:, -2:]
clear = top2[:, 1] - top2[:, 0] > np.spacing(top2[:, 1].astype(np.float16)).astype(np.float32)
assert clear.mean() > 0.5, f"only {clear.mean():.2f} of the items have a clear winner"
assert np.array_equal(files[0]["pred"][()][clear], probs.argmax(1)[clear]), "pred is not the argmax"
margin = files[0]["scores/margin"][()]
top = np.sort(probs, 1)
assert np.allclose(margin, 1 - (top[:, -1] - top[:, -2]), atol=2e-3), "margin is 1 - (p1 - p2)"
assert files[0].attrs["quarry_format"] == "scores/1" and files[0].attrs["mc_samples"] == 2
assert len(files[0].attrs["model_sha256"]) == 64
PY

# Different threads per rank: the same ids and predictions (except near-ties), values within
# fp16 rounding.
expect_exit 0 mpi 2 "$quarry" score --pool pool.h5 --model model.pt --unit-chunks 1 --threads 2 \
  --out threads2.h5
$py - <<'PY' || fail "scores with other thread counts differ by more than rounding"
import h5py, numpy as np
a, b = h5py.File("np1.h5", "r"), h5py.File("threads2.h5", "r")
assert np.array_equal(a["ids"][()], b["ids"][()])
pa, pb = a["probs"][()].astype(np.float32), b["probs"][()].astype(np.float32)
assert np.abs(pa - pb).max() <= 2e-3, np.abs(pa - pb).max()
near_tie = np.sort(pa, 1)[:, -1] - np.sort(pa, 1)[:, -2] < 2e-3
assert np.array_equal(a["pred"][()][~near_tie], b["pred"][()][~near_tie])
PY

# --- SIGKILL halfway, then --resume: byte-identical to the uninterrupted run ------------------
kill_and_resume 6 6144

# --- SIGUSR1: every rank finishes its unit, exit 99, resumable ----------------------------------
usr1_and_resume

# Without --resume, a partial run is never silently discarded.
mkdir stale.h5.partial
expect_exit 2 "$quarry" score "${common[@]}" --out stale.h5
expect_stderr "pass --resume to continue it, or --force"

# --- other model contracts: a dict output, logits only -----------------------------------------
$py "$source_dir/tests/score/support/make_model.py" dict dict.pt
expect_exit 0 "$quarry" score --pool pool.h5 --model dict.pt --mc-samples 2 --out dict.h5
$py "$source_dir/tests/score/support/make_model.py" logits-only logits.pt
expect_exit 0 "$quarry" score --pool pool.h5 --model logits.pt --out logits.h5
$py -c "import h5py; f = h5py.File('logits.h5'); assert f['embeddings'].shape == (6144, 10)"

# --- bad input: exit 2, a message naming the problem, nothing published -----------------------
bad() { expect_bad_input bad.h5 "$@"; }  # bad TEXT COMMAND...
bad "missing.pt: no such model file" "$quarry" score --pool pool.h5 --model missing.pt --out bad.h5
echo "not a model" >text.pt
bad "text.pt: is not a TorchScript model" "$quarry" score --pool pool.h5 --model text.pt --out bad.h5
$py "$source_dir/tests/score/support/make_model.py" three-classes three.pt
bad "has 3 classes, the pool has 10" "$quarry" score --pool pool.h5 --model three.pt --out bad.h5
$py "$source_dir/tests/score/support/make_model.py" list list.pt
bad "forward output: is a" "$quarry" score --pool pool.h5 --model list.pt --out bad.h5
expect_exit 0 "$quarry" pool synth --n 100 --shape 3x32x32 --classes 10 --out color.h5
expect_exit 0 "$quarry" model init --pool color.h5 --out color.pt
bad "fails on an input of shape [2,1,28,28]" "$quarry" score --pool pool.h5 --model color.pt \
  --out bad.h5
$py "$source_dir/tests/score/support/make_model.py" no-dropout plain.pt
bad "no (active) dropout" mpi 2 "$quarry" score --pool pool.h5 --model plain.pt --mc-samples 4 \
  --out bad.h5
bad "bald needs Monte-Carlo dropout" "$quarry" score --pool pool.h5 --model model.pt \
  --acquisitions margin,bald --out bad.h5
bad "does not exist" "$quarry" score --pool pool.h5 --model model.pt --out nowhere/bad.h5
# NaN for the items whose first pixel is 255: the message names their ids.
$py - <<'PY'
import numpy as np
images = np.zeros((600, 1, 28, 28), np.uint8)
images[[5, 17, 433], 0, 0, 0] = 255
np.save("nan_items.npy", images)
PY
expect_exit 0 "$quarry" pool import --format npy --input nan_items.npy --out nanpool.h5 \
  --classes a,b,c,d,e,f,g,h,i,j
$py "$source_dir/tests/score/support/make_model.py" nan nan.pt
bad "is NaN or infinite for 3 item(s), ids 5, 17, 433" mpi 2 "$quarry" score --pool nanpool.h5 \
  --model nan.pt --out bad.h5
expect_exit 2 "$quarry" score "${common[@]}" --out np1.h5
expect_stderr "np1.h5 already exists"
echo "score: ok"
