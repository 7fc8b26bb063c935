# A damaged ledger is refused (exit 2, the file named) before HDF5 1.10 can crash or hang on it:
# a ledger quarry wrote is checked against its manifest's sha256; one without a manifest has its
# global heap and dataset extents checked. Identical ingests give byte-identical ledgers.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 200 --shape 1x4x4 --classes 3 --out pool.h5 >/dev/null
"$quarry" model init --pool pool.h5 --arch small-cnn --out model.pt >/dev/null
"$quarry" score --pool pool.h5 --model model.pt --out scores.h5 --threads 1 >/dev/null
"$quarry" select --scores scores.h5 --k 10 --out selection.h5 >/dev/null
printf 'id,annotator,label\n1,a,class0\n2,a,class1\n3,b,class2\n4,b,class2\n5,b,class0\n' >answers.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 answers.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels again.h5 answers.csv
cmp labels.h5 again.h5 || fail "two identical ingests wrote different ledgers"
grep -c GCOL labels.h5 >/dev/null && fail "the ledger uses HDF5's global heap"

# Readers: the new fixed-length strings read back through h5py as the same text.
/usr/bin/python3 - <<'PY' || fail "h5py does not read the ledger's strings"
import h5py
with h5py.File("labels.h5", "r") as f:
    assert f.attrs["quarry_format"].decode() == "ledger/1"
    assert [c.decode() for c in f.attrs["classes"]] == ["class0", "class1", "class2"]
    assert list(f["source"].asstr()[:]) == ["answers.csv"] * 5
    assert len(f["files/sha256"].asstr()[0]) == 64
    assert [a.decode() for a in f["annotations"].attrs["annotators"]] == ["a", "b"]
PY

# Bit flips inside the file: every reader refuses it, naming the file and how to override.
cp labels.h5 pristine.h5
size=$(stat -c %s labels.h5)
printf '\xff\xff\xff\xff' | dd of=labels.h5 bs=1 seek=$((size / 2)) conv=notrunc status=none
cmp -s labels.h5 pristine.h5 && fail "the flip changed nothing"
refused() {
  expect_exit 2 "$@"
  expect_stderr "labels.h5: its sha256 is"
  expect_stderr "QUARRY_TRUST_INPUTS=1"
}
refused "$quarry" select --scores scores.h5 --k 5 --labels labels.h5 --out sel.h5
printf 'id,annotator,label\n4,a,class0\n' >more.csv
refused "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 more.csv
refused "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --labels labels.h5 --format csv --out round1
refused "$quarry" train --pool pool.h5 --labels labels.h5 --model model.pt --out trained.pt \
  --threads 1
[ ! -e sel.h5 ] && [ ! -e round1 ] && [ ! -e trained.pt ] || fail "a refused input left output"
# The override reaches HDF5 (a flip in raw label data reads as a wrong label or passes).
cp pristine.h5 labels.h5
QUARRY_TRUST_INPUTS=1 expect_exit 0 "$quarry" select --scores scores.h5 --k 5 --labels labels.h5 \
  --out trusted.h5

# Scores and selection files are checked the same way.
cp scores.h5 scores.bak
printf '\x00\x01' | dd of=scores.h5 bs=1 seek=$(($(stat -c %s scores.h5) - 64)) conv=notrunc \
  status=none
expect_exit 2 "$quarry" select --scores scores.h5 --k 5 --out sel.h5
expect_stderr "scores.h5: its sha256 is"
cp scores.bak scores.h5

# Truncated: the message names the file.
rm labels.h5.manifest.json
head -c 5000 pristine.h5 >labels.h5
expect_exit 2 "$quarry" select --scores scores.h5 --k 5 --labels labels.h5 --out sel.h5
expect_stderr "labels.h5"

# A ledger without a manifest whose global heap is damaged (a fuzzed h5py-style ledger that
# made select spin at 100% CPU): refused promptly.
cp "$source_dir/tests/data/corrupt-ledger-hangs-select.h5" fuzzed.h5
expect_exit 2 timeout -s KILL 60 "$quarry" select --scores scores.h5 --k 5 --labels fuzzed.h5 \
  --out sel.h5
expect_stderr "fuzzed.h5: global heap collection at byte 2048: is damaged"

# A dataset extent patched to 2^54 rows (no manifest to catch it): refused before anything is
# allocated for it, naming the file.
/usr/bin/python3 - <<'PY'
import struct
data = bytearray(open("pristine.h5", "rb").read())
# A label column's dataspace message holds its size and max size (5 rows) as 8-byte fields.
at = data.index(struct.pack("<QQ", 5, 5))
data[at:at + 16] = struct.pack("<QQ", 1 << 54, 1 << 54)
open("labels.h5", "wb").write(bytes(data))
PY
expect_exit 2 "$quarry" select --scores scores.h5 --k 5 --labels labels.h5 --out sel.h5
expect_stderr "labels.h5: /"
expect_stderr "the file is damaged"

# A string reference that HDF5 follows into the void (a fuzzer's find that the heap checks above
# do not see): HDF5 crashes reading it in a child process, and this one refuses the file.
cp "$source_dir/tests/fuzz/corpus/ledger/libfuzzer-hdf5-global-heap-segv.h5" void.h5
expect_exit 2 "$quarry" select --scores scores.h5 --k 5 --labels void.h5 --out sel.h5
expect_stderr "void.h5: HDF5 crashed reading it"
[ ! -e sel.h5 ] || fail "select published after refusing its ledger"
echo "ok"
