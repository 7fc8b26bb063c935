# A full disk while HDF5 writes an output: the "No space left on device" error and exit 1, not a
# SIGSEGV in HDF5's exit handler (exit 139) nor a deadlock in a collective close (MPI-IO).
# Needs root to mount a small tmpfs; exit 77 (skipped) where mounting is refused.
source "$(dirname "$0")/../../support/lib.bash"
mkdir small
mount -t tmpfs -o size=4m tmpfs small 2>/dev/null || exit 77
trap 'umount small; rm -rf "$work"' EXIT

"$quarry" pool synth --n 4000 --shape 1x8x8 --classes 10 --out pool.h5 >/dev/null
"$quarry" model init --pool pool.h5 --arch small-cnn --out model.pt >/dev/null
"$quarry" score --pool pool.h5 --model model.pt --out scores.h5 --threads 1 >/dev/null
printf 'id,annotator,label\n1,x,class0\n' >a.csv
"$quarry" ingest --format csv --pool pool.h5 --labels small/labels.h5 a.csv >/dev/null
# Leave FREE KiB on the tmpfs.
fill_to() { dd if=/dev/zero of=small/.fill bs=1k count=$(($(df -k --output=avail small | tail -1) - $1)) status=none; }

fill_to 8
expect_exit 1 "$quarry" select --scores scores.h5 --k 1000 --out small/selection.h5
expect_stderr "No space left on device"
printf 'id,annotator,label\n2,x,class1\n' >b.csv
cp small/labels.h5 labels.before
expect_exit 1 "$quarry" ingest --format csv --pool pool.h5 --labels small/labels.h5 b.csv
expect_stderr "No space left on device"
cmp small/labels.h5 labels.before || fail "a failed ingest changed the ledger"

# MPI-IO: the units fit, the scores file does not; every rank stops, none hangs.
rm small/.fill
fill_to 1800
expect_exit 1 timeout -s KILL 300 "$source_dir/tests/support/run_mpi" 2 "$quarry" score --pool pool.h5 \
  --model model.pt --out small/scores.h5 --threads 1
expect_stderr "write failed"
[ ! -e small/scores.h5 ] || fail "a failed score published its output"
echo "ok"
