# quarry model init: a TorchScript model sized for the pool, atomically written; bad requests
# exit 2 and write nothing.
source "$(dirname "$0")/../../support/lib.bash"

expect_exit 0 "$quarry" pool synth --n 2000 --shape 3x16x16 --classes 4 --out pool.h5
expect_exit 0 "$quarry" model init --pool pool.h5 --arch small-cnn --seed 1 --out model.pt
expect_stdout "small-cnn, 4 classes"
[ -s model.pt ] || fail "model.pt is empty"

expect_exit 2 "$quarry" model init --pool pool.h5 --arch resnet --out other.pt
expect_stderr "--arch 'resnet' is not one of small-cnn, mlp"
expect_exit 2 "$quarry" model init --pool missing.h5 --out other.pt
expect_stderr "missing.h5: no such file"
expect_exit 2 "$quarry" model init --pool pool.h5 --out model.pt
expect_stderr "already exists"
[ ! -e other.pt ] || fail "other.pt was written"
echo "init: ok"
