# quarry select --warm-clusters: cluster-margin on a later round's scores (same items, another
# model) starts k-means from the earlier round's cluster cache, on 1 and 2 ranks; a cache of other
# items is ignored (a cold start, not an error).
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_GATHER_BYTES=0
make_scores=$source_dir/tools/bench/make_scores.py

"$make_scores" round1.h5 --n 2000 --dim 8 --classes 3 --blobs 10 --first-id 100 --chunk 128
cp round1.h5 round2.h5
/usr/bin/python3 -c 'import h5py; h5py.File("round2.h5", "r+").attrs["model_sha256"] = "1" * 64'
"$make_scores" other.h5 --n 2000 --dim 8 --classes 3 --blobs 10 --first-id 9000 --chunk 128
select_cm() {  # select_cm RANKS SCORES OUT [OPTIONS...]
  local ranks=$1 scores=$2 out=$3
  shift 3
  expect_exit 0 mpi "$ranks" "$quarry" select --scores "$scores" --k 30 --strategy cluster-margin \
    --clusters 12 --seed 3 --out "$out" "$@"
}

select_cm 1 round1.h5 cold.h5
expect_stderr "Lloyd iterations) -> round1.clusters.h5"
for ranks in 1 2; do
  rm -f round2.clusters.h5
  select_cm "$ranks" round2.h5 "warm-$ranks.h5" --warm-clusters round1.clusters.h5
  # The same embeddings: the earlier clustering is already converged, one assignment pass.
  expect_stderr "(1 Lloyd iterations, warm from an earlier model's centroids)"
  /usr/bin/python3 - "$ranks" <<'PY' || fail "the warm start changed the selection"
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r")["ids"][:] for p in ("cold.h5", f"warm-{sys.argv[1]}.h5"))
assert np.array_equal(a, b), (a, b)
PY
done
select_cm 2 other.h5 other-sel.h5 --warm-clusters round1.clusters.h5
expect_stderr "clustered 2000 items into 12 clusters"
grep -qF "warm from" "$work/stderr" && fail "a cache of other items started k-means"
[ -f other-sel.h5 ] || fail "no selection from other.h5"
