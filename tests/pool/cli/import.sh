# quarry pool import of the real Fashion-MNIST files from Debian's dataset-fashion-mnist.
source "$(dirname "$0")/../../support/lib.bash"
data=/usr/share/datasets/fashion-mnist
[ -f "$data/t10k-images-idx3-ubyte.gz" ] || fail "$data is missing: run tools/setup"

expect_exit 0 "$quarry" pool import --format fashion-mnist --input "$data" --split test --out test.h5
expect_stdout "items     10000"
expect_stdout "images 1x28x28 uint8"
expect_stdout "10: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot"
expect_stdout "Ankle boot 1000"

# Pixels are exactly the IDX file's bytes (16-byte header, then N*28*28 bytes).
/usr/bin/python3 - test.h5 "$data/t10k-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz" <<'PY'
import gzip, sys, h5py, numpy as np
images = np.frombuffer(gzip.open(sys.argv[2]).read()[16:], np.uint8).reshape(-1, 1, 28, 28)
labels = np.frombuffer(gzip.open(sys.argv[3]).read()[8:], np.uint8)
with h5py.File(sys.argv[1], "r") as f:
    assert np.array_equal(f["images"][:], images)
    assert np.array_equal(f["labels"][:], labels.astype(np.int32))
    assert np.array_equal(f["ids"][:], np.arange(len(labels), dtype=np.uint64))
PY

# The config file supplies options; the command line overrides them.
cat >import.ini <<INI
[pool-import]
format = fashion-mnist
input = $data
split = train
INI
expect_exit 0 "$quarry" pool import --config import.ini --split test --out from-config.h5
expect_stdout "items     10000"
echo "import: ok"
