# tools/make-long-tail: the per-class counts follow the exponential profile from head to tail,
# items keep their ids, pixels and labels, quarry reads the result as a pool, and an existing
# output is refused.
source "$(dirname "$0")/../../support/lib.bash"
tool="$source_dir/tools/make-long-tail"

"$quarry" pool synth --n 4000 --shape 1x8x8 --classes 4 --seed 1 --out pool.h5 >/dev/null
expect_exit 0 "$tool" pool.h5 tail.h5 --ratio 10 --max-per-class 300 --order 2,0,3,1
# 300 * 10^(-r/3) for r = 0..3: 300, 139, 64, 30, from class 2 (head) to class 1 (tail).
expect_stdout "tail.h5: 533 items; per class 300,139,64,30 (head to tail)"
expect_exit 0 "$quarry" pool check tail.h5
expect_exit 0 "$quarry" pool info tail.h5
expect_stdout "labels    class0 139, class1 30, class2 300, class3 64"
/usr/bin/python3 - <<'PY' || fail "the long-tailed pool's items are not the pool's"
import h5py, numpy as np
pool, tail = h5py.File("pool.h5", "r"), h5py.File("tail.h5", "r")
ids = pool["ids"][:]
rows = np.searchsorted(ids, tail["ids"][:])
assert (ids[rows] == tail["ids"][:]).all() and (np.diff(rows) > 0).all(), "ids not a sub-sequence"
assert (pool["images"][:][rows] == tail["images"][:]).all(), "pixels differ"
assert (pool["labels"][:][rows] == tail["labels"][:]).all(), "labels differ"
assert list(tail.attrs["classes"]) == list(pool.attrs["classes"])
PY
expect_exit 1 "$tool" pool.h5 tail.h5
expect_stderr "tail.h5 exists"
echo "long_tail: ok"
