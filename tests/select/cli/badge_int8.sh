# quarry select --strategy badge with the int8 bounds forced on and off (QUARRY_BADGE_COMPACT), on
# embeddings whose distances concentrate as an untrained network's do (ReLU(N(0, 1)) + 2): the
# same picks, scores and reasons on 1 and 2 ranks, and the bounds did rule rows out (their debug
# line counts the rows they bounded and the fp16 rows left to read).
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_GATHER_BYTES=0 QUARRY_LOG_LEVEL=debug
"$source_dir/tools/bench/make_scores.py" scores.h5 --n 4000 --dim 32 --classes 6 --blobs 6 \
  --first-id 10 --chunk 512
/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("scores.h5", "r+") as f:
    emb = f["embeddings"]
    rng = np.random.default_rng(4)
    emb[...] = (np.maximum(rng.normal(size=emb.shape), 0) + 2).astype(np.float16)
PY
for mode in on off; do
  for ranks in 1 2; do
    QUARRY_BADGE_COMPACT=$mode expect_exit 0 mpi "$ranks" "$quarry" select --scores scores.h5 \
      --k 80 --strategy badge --seed 5 --out "badge-$mode-$ranks.h5"
    if [ "$mode" = on ]; then
      bounded=$(sed -n 's/.*bounding \([0-9]*\) by their int8 copy.*/\1/p' "$work/stderr")
      [ "${bounded:-0}" -gt 0 ] || fail "int8 bounds on, $ranks rank(s): no row bounded"
    else
      expect_stderr "bounding 0 by their int8 copy"
    fi
  done
done
/usr/bin/python3 - <<'PY' || fail "badge picked differently with the int8 bounds, or across ranks"
import h5py, numpy as np
files = [h5py.File(f"badge-{m}-{r}.h5", "r") for m in ("on", "off") for r in (1, 2)]
assert len(files[0]["ids"]) == 80
for f in files[1:]:
    for name in ("ids", "score", "reason"):
        a, b = files[0][name][:], f[name][:]
        assert np.array_equal(a.view(np.uint8), b.view(np.uint8)), (f.filename, name)
PY
echo "badge_int8: ok"
