# Bad input: a message naming the file and the problem, exit code 2, and no output file.
source "$(dirname "$0")/../../support/lib.bash"

expect_exit 2 "$quarry" pool info missing.h5
expect_stderr "missing.h5: no such file"

echo "plain text" >notes.h5
expect_exit 2 "$quarry" pool info notes.h5
expect_stderr "notes.h5: is not an HDF5 file"

# An HDF5 file that is not a pool, and pools that break the contract.
/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("plain.h5", "w") as f:
    f["x"] = np.zeros(3)
def pool(name, images, ids, labels=None):
    with h5py.File(name, "w") as f:
        f.attrs["quarry_format"] = "pool/1"
        f.attrs["classes"] = ["a", "b"]
        f["images"] = images
        f["ids"] = ids
        if labels is not None:
            f["labels"] = labels
pool("float.h5", np.zeros((4, 1, 2, 2), np.float32), np.arange(4, dtype=np.uint64))
pool("rank3.h5", np.zeros((4, 2, 2), np.uint8), np.arange(4, dtype=np.uint64))
pool("dups.h5", np.zeros((4, 1, 2, 2), np.uint8), np.array([0, 1, 1, 3], np.uint64))
pool("badlabel.h5", np.zeros((4, 1, 2, 2), np.uint8), np.arange(4, dtype=np.uint64),
     np.array([0, 1, 5, -1], np.int32))
PY
expect_exit 2 "$quarry" pool info plain.h5
expect_stderr "plain.h5: attribute quarry_format: is missing: not a quarry pool"
expect_exit 2 "$quarry" pool info float.h5
expect_stderr "float.h5: /images: holds float32, the contract needs uint8"
expect_exit 2 "$quarry" pool info rank3.h5
expect_stderr "rank3.h5: /images: has 3 dimensions, the contract needs 4"
expect_exit 2 "$quarry" pool info dups.h5
expect_stderr "dups.h5: /ids: id 1 appears more than once (rows 1 and 2)"
expect_exit 2 "$quarry" pool info badlabel.h5
expect_stderr "badlabel.h5: /labels: row 2 has label 5"

# The distributed check finds the same problems on any rank count and ends every rank.
expect_exit 2 mpi 2 "$quarry" pool check dups.h5
expect_stderr "dups.h5: /ids: id 1 appears more than once"

# IDX files whose counts disagree; an empty PNG folder; nothing is written for either.
/usr/bin/python3 - <<'PY'
import gzip, struct
with gzip.open("images.gz", "wb") as f:
    f.write(struct.pack(">BBBBIII", 0, 0, 8, 3, 3, 2, 2) + bytes(12))
with gzip.open("labels.gz", "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 8, 1, 2) + bytes(2))
PY
expect_exit 2 "$quarry" pool import --format idx --input images.gz --labels labels.gz --out idx.h5
expect_stderr "labels.gz"
[ ! -e idx.h5 ] || fail "idx.h5 was written"
mkdir empty
expect_exit 2 "$quarry" pool import --format png-dir --input empty --out png.h5
expect_stderr "empty"
[ ! -e png.h5 ] || fail "png.h5 was written"
ls -A | grep -q '^\..*tmp' && fail "a temporary file was left behind"

# Usage errors: unknown command, unknown option, missing option.
expect_exit 2 "$quarry" pool frobnicate
expect_stderr "unknown command"
expect_exit 2 "$quarry" pool synth --n 10 --out x.h5 --colour red
expect_stderr "unrecognised option '--colour'"
expect_exit 2 "$quarry" pool synth --out x.h5
expect_stderr "missing required option --n"
expect_exit 2 "$quarry" pool synth --n 10 --shape 28x28 --out x.h5
expect_stderr "CxHxW"
[ ! -e x.h5 ] || fail "x.h5 was written"
expect_exit 0 "$quarry" pool synth --help
expect_stdout "usage: quarry pool synth"
echo "bad_input: ok"
