# quarry loads no LibTorch: the model commands (score, train, eval, model init, cycle, init,
# simulate) run in quarry-torch beside it. With quarry-torch there (the usual build), quarry's
# own binary needs no libtorch and a model command runs through it, also under mpirun; without it
# (-DQUARRY_WITH_TORCH=OFF, run by tools/test) the torch-free commands work and a model command
# is a usage error naming the build option, with nothing written.
source "$(dirname "$0")/../../support/lib.bash"

if readelf -d "$quarry" | grep -q 'NEEDED.*libtorch'; then
  fail "$quarry links LibTorch"
fi
expect_exit 0 "$quarry" select --help
expect_stdout "--strategy"
expect_exit 0 "$quarry" pool synth --n 600 --shape 1x8x8 --classes 3 --out pool.h5
# `eval` on COCO files runs no model: quarry itself evaluates them (docs/evaluate.md).
echo '{"images": [{"id": 1}], "categories": [{"id": 1}], "annotations": [{"id": 1,
  "image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "area": 100}]}' >truth.json
echo '[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.9}]' >results.json
expect_exit 0 "$quarry" eval --coco-truth truth.json --coco-results results.json --json
expect_stdout '"AR100": 1.0'

if [ -x "$(dirname "$quarry")/quarry-torch" ]; then
  expect_exit 0 "$quarry" model init --pool pool.h5 --arch mlp --seed 1 --out model.pt
  mpi 2 "$quarry" score --pool pool.h5 --model model.pt --out scores.h5 >"$work/stdout" 2>&1 ||
    { cat "$work/stdout" >&2; fail "quarry score under mpirun failed"; }
  [ -s scores.h5.manifest.json ] || fail "score published no manifest"
  mpi 2 "$quarry" select --scores scores.h5 --k 10 --out selection.h5 >"$work/stdout" 2>&1 ||
    { cat "$work/stdout" >&2; fail "quarry select after score failed"; }
else
  for command in "score --pool pool.h5 --model model.pt --out scores.h5" "train --help" \
    "model init --pool pool.h5 --out model.pt" "cycle ws" "simulate --help"; do
    # shellcheck disable=SC2086 # the command's words
    expect_exit 2 "$quarry" $command
    expect_stderr "built without LibTorch"
    expect_stderr "QUARRY_WITH_TORCH"
  done
  expect_only_files pool.h5 results.json truth.json
fi
echo "without_torch: ok"
