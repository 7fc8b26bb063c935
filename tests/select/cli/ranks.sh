# quarry select: every strategy gives the identical selection file contents under mpirun -np 1, 2
# and 3; the file holds the contract's datasets and attributes and a manifest sits next to it;
# labeled and pending items are never picked. The pools are small, so the ranks only share the
# work with the layout rule turned off (QUARRY_GATHER_BYTES=0); with it, rank 0 selects alone and
# the selection is the same.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_GATHER_BYTES=0
make_scores=$source_dir/tools/bench/make_scores.py
write_ledger=$source_dir/tests/select/support/write_ledger.py

"$make_scores" scores.h5 --n 3000 --dim 24 --classes 5 --blobs 12 --first-id 500 --chunk 256
# A ledger labeling every 50th item.
"$write_ledger" ledger.h5 --range 500,3500,50 --classes class0,class1,class2,class3,class4

for strategy in margin-kcenter kcenter topk random badge cluster-margin; do
  for ranks in 1 2 3; do
    expect_exit 0 mpi "$ranks" "$quarry" select --scores scores.h5 --k 40 --strategy "$strategy" \
      --labels ledger.h5 --candidates 500 --clusters 20 --seed 7 --out "sel-$strategy-$ranks.h5"
  done
  /usr/bin/python3 - "$strategy" <<'PY' || fail "$strategy: selections differ across rank counts"
import sys, h5py, numpy as np
strategy = sys.argv[1]
files = [h5py.File(f"sel-{strategy}-{r}.h5", "r") for r in (1, 2, 3)]
ids = [f["ids"][:] for f in files]
assert len(ids[0]) == 40 and len(set(ids[0].tolist())) == 40, ids[0]
for other in ids[1:]:
    assert np.array_equal(ids[0], other), (ids[0], other)
for name in ("score", "reason"):
    a = files[0][name][:]
    for f in files[1:]:
        assert np.array_equal(a.view(np.uint32), f[name][:].view(np.uint32)), name
f = files[0]
assert f.attrs["quarry_format"] == "selection/1"
assert f.attrs["strategy"] == strategy and int(f.attrs["k"]) == 40
labeled = set(range(500, 3500, 50))
assert not labeled & set(ids[0].tolist()), "a labeled item was picked"
PY
  grep -q '"complete": true' "sel-$strategy-1.h5.manifest.json" || fail "no manifest for $strategy"
done

# A pool in one HDF5 chunk: ranks 1 and 2 hold no rows and must still take part in every step.
"$make_scores" one_chunk.h5 --n 300 --dim 8 --classes 3 --blobs 6 --chunk 4096
for strategy in margin-kcenter kcenter topk random badge cluster-margin; do
  for ranks in 1 3; do
    expect_exit 0 mpi "$ranks" "$quarry" select --scores one_chunk.h5 --k 12 --strategy "$strategy" \
      --candidates 100 --out "one-$strategy-$ranks.h5"
  done
  cmp <(h5dump -d /ids "one-$strategy-1.h5" | tail -n +3) <(h5dump -d /ids "one-$strategy-3.h5" | tail -n +3) ||
    fail "$strategy: 3 ranks (two without rows) picked differently from 1 rank"
done

# The layout rule: on a small pool rank 0 selects alone, with the same picks.
for strategy in kcenter badge; do
  QUARRY_GATHER_BYTES= QUARRY_LOG_LEVEL=debug expect_exit 0 mpi 2 "$quarry" select --scores scores.h5 \
    --k 40 --strategy "$strategy" --labels ledger.h5 --candidates 500 --clusters 20 --seed 7 \
    --out "rule-$strategy.h5"
  expect_stderr "rank 0 selects alone"
  cmp <(h5dump -d /ids "rule-$strategy.h5" | tail -n +3) <(h5dump -d /ids "sel-$strategy-1.h5" | tail -n +3) ||
    fail "$strategy: rank 0 alone picked differently"
done

# A pool above the threshold whose k-center stage is below it (144,000 bytes of embeddings, 500
# candidates of 24,000): the pre-filter runs on every rank, the stage on rank 0 alone.
for ranks in 2 3; do
  QUARRY_GATHER_BYTES=100000 QUARRY_LOG_LEVEL=debug expect_exit 0 mpi "$ranks" "$quarry" select \
    --scores scores.h5 --k 40 --strategy margin-kcenter --labels ledger.h5 --candidates 500 \
    --seed 7 --out "stage-$ranks.h5"
  expect_stderr "a stage over 500 items ran on rank 0 alone"
  cmp <(h5dump -d /ids "stage-$ranks.h5" | tail -n +3) \
    <(h5dump -d /ids sel-margin-kcenter-1.h5 | tail -n +3) ||
    fail "margin-kcenter: the gathered stage on $ranks ranks picked differently"
done

# Pending items (an earlier selection) are excluded as well; an existing output needs --force.
expect_exit 0 mpi 2 "$quarry" select --scores scores.h5 --k 40 --strategy topk \
  --exclude sel-topk-1.h5 --out next.h5
/usr/bin/python3 -c "
import h5py
a = set(h5py.File('sel-topk-1.h5')['ids'][:].tolist())
b = set(h5py.File('next.h5')['ids'][:].tolist())
assert not a & b, a & b" || fail "pending items were picked again"
expect_exit 2 "$quarry" select --scores scores.h5 --k 40 --strategy topk --out next.h5
expect_stderr "next.h5 exists; pass --force to replace it"
expect_exit 0 "$quarry" select --scores scores.h5 --k 41 --strategy topk --out next.h5 --force
echo "ranks: ok"
