# quarry pool synth and pool info, and the file contract as h5dump and h5py see it.
source "$(dirname "$0")/../../support/lib.bash"

expect_exit 0 "$quarry" pool synth --n 5000 --shape 1x28x28 --classes 10 --seed 3 --out synth.h5
expect_stdout "items     5000"
expect_stdout "images 1x28x28 uint8"

# The contract's datasets and attributes, as h5dump reads them.
h5dump -H synth.h5 >header.txt
for needle in 'DATASET "images"' 'H5T_STD_U8LE' '( 5000, 1, 28, 28 )' 'DATASET "ids"' \
  'H5T_STD_U64LE' 'DATASET "labels"' 'H5T_STD_I32LE' 'ATTRIBUTE "quarry_format"' \
  'ATTRIBUTE "classes"' 'ATTRIBUTE "source"'; do
  grep -qF -- "$needle" header.txt || { cat header.txt; fail "h5dump -H lacks $needle"; }
done
h5dump -a quarry_format synth.h5 | grep -F '"pool/2"' >/dev/null || fail "quarry_format is not pool/2"
h5dump -p -H -d /images synth.h5 | grep -F 'CHUNKED ( 1024, 1, 28, 28 )' >/dev/null || fail "not chunked along N"

# The same seed gives the same pool; another seed does not.
expect_exit 0 "$quarry" pool synth --n 5000 --shape 1x28x28 --classes 10 --seed 3 --out again.h5
cmp <(h5dump -d /images again.h5 | tail -n +3) <(h5dump -d /images synth.h5 | tail -n +3) ||
  fail "same seed gave different pixels"

# Python users read it with h5py (Debian's python3-h5py, not a pyenv interpreter).
/usr/bin/python3 - synth.h5 <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert f["images"].shape == (5000, 1, 28, 28) and f["images"].dtype == "uint8"
    assert f["ids"].dtype == "uint64" and list(f["ids"][:3]) == [0, 1, 2]
    assert f["labels"].dtype == "int32" and f["labels"][:].max() == 9
    assert f.attrs["quarry_format"] == "pool/2", f.attrs["quarry_format"]
    assert list(f.attrs["classes"])[:2] == ["class0", "class1"], f.attrs["classes"]
PY

# JSON summary for scripts.
expect_exit 0 "$quarry" pool info synth.h5 --json
expect_stdout '"items": 5000'
expect_stdout '"format": "pool/2"'

# A pool/1 file (written before tasks existed) is read as a classification pool, and pool info
# says which format the file has.
cp synth.h5 old.h5
/usr/bin/python3 -c "
import h5py
with h5py.File('old.h5', 'r+') as f:
    f.attrs['quarry_format'] = 'pool/1'
    del f.attrs['task']"
expect_exit 0 "$quarry" pool info old.h5
expect_stdout "format    pool/1"
expect_stdout "task      classify"

# Refuses to overwrite without --force, and leaves the file untouched.
before=$(sha256sum synth.h5)
expect_exit 2 "$quarry" pool synth --n 10 --out synth.h5
expect_stderr "already exists"
[ "$(sha256sum synth.h5)" = "$before" ] || fail "synth.h5 changed"
expect_exit 0 "$quarry" pool synth --n 10 --out synth.h5 --force
echo "synth: ok"
