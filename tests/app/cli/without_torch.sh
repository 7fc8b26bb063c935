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
  expect_only_files pool.h5
fi
echo "without_torch: ok"
