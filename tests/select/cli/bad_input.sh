# quarry select on bad input: a message naming the file, the item and the problem, exit code 2,
# and no selection file (nor manifest) left behind, on one rank and on several.
source "$(dirname "$0")/../../support/lib.bash"
make_scores=$source_dir/tools/bench/make_scores.py
write_ledger=$source_dir/tests/select/support/write_ledger.py

"$make_scores" scores.h5 --n 500 --dim 8 --classes 3 --first-id 100 --chunk 64
"$make_scores" flat.h5 --n 500 --dim 8 --classes 3 --no-embeddings
"$make_scores" nan.h5 --n 500 --dim 8 --classes 3 --first-id 100 --chunk 64 --nan-ids 133,420
"$make_scores" other_dim.h5 --n 50 --dim 6 --classes 3
"$make_scores" nan_margin.h5 --n 500 --dim 8 --classes 3 --first-id 100 --nan-margin-ids 377
inputs="flat.h5 nan.h5 nan_margin.h5 other_dim.h5 scores.h5"

for ranks in 3; do
  expect_exit 2 mpi "$ranks" "$quarry" select --scores scores.h5 --k 501 --strategy random --out s.h5
  expect_stderr "scores.h5: --k: asks for 501 items but only 500 of 500 are eligible"

  expect_exit 2 mpi "$ranks" "$quarry" select --scores flat.h5 --k 5 --strategy kcenter --out s.h5
  expect_stderr "flat.h5: /embeddings: has no columns: this strategy needs embeddings"

  expect_exit 2 mpi "$ranks" "$quarry" select --scores nan.h5 --k 5 --strategy kcenter --out s.h5
  expect_stderr "nan.h5: /embeddings: 2 item(s) have infinite or NaN values, ids 133, 420"

  expect_exit 2 mpi "$ranks" "$quarry" select --scores nan_margin.h5 --k 5 --strategy topk --out s.h5
  expect_stderr "nan_margin.h5: /scores/margin: 1 item(s) have infinite or NaN values, ids 377"

  expect_exit 2 mpi "$ranks" "$quarry" select --scores scores.h5 --k 5 --strategy nearest --out s.h5
  expect_stderr "unknown strategy 'nearest'; choose one of: topk, margin-kcenter, kcenter"

  expect_exit 2 mpi "$ranks" "$quarry" select --scores scores.h5 --k 5 --strategy topk \
    --acquisition bald --out s.h5
  expect_stderr "scores.h5: /scores/bald: was not computed; this file has: margin"

  expect_exit 2 mpi "$ranks" "$quarry" select --scores scores.h5 --k 5 --strategy kcenter \
    --target-pool other_dim.h5 --out s.h5
  expect_stderr "other_dim.h5: /embeddings: has 50 items of 6 values"
  expect_only_files $inputs
done

# Random and topk need no embeddings.
expect_exit 0 "$quarry" select --scores flat.h5 --k 5 --strategy topk --out flat-topk.h5
rm flat-topk.h5 flat-topk.h5.manifest.json

# A ledger from another pool: ids the scores file does not have, or other classes.
"$write_ledger" foreign.h5 --ids 5,6,150,9000 --classes class0,class1,class2
"$write_ledger" renamed.h5 --ids 150 --classes cat,dog,bird
inputs="flat.h5 foreign.h5 nan.h5 nan_margin.h5 other_dim.h5 renamed.h5 scores.h5"
expect_exit 2 mpi 2 "$quarry" select --scores scores.h5 --k 5 --labels foreign.h5 --out s.h5
expect_stderr "foreign.h5: /ids: 3 of 4 labeled ids are not items of scores.h5 (ids 5, 6, 9000)"
expect_exit 2 mpi 2 "$quarry" select --scores scores.h5 --k 5 --labels renamed.h5 --out s.h5
expect_stderr "renamed.h5: attribute classes: [cat, dog, bird] differs from the scores file's"
expect_exit 2 "$quarry" select --scores scores.h5 --k 5 --exclude scores.h5 --out s.h5
expect_stderr "scores.h5: attribute quarry_format: is not 'selection/1'"
expect_exit 2 "$quarry" select --scores missing.h5 --k 5 --out s.h5
expect_stderr "missing.h5"
expect_exit 2 "$quarry" select --scores scores.h5 --k 0 --out s.h5
expect_stderr "--k must be at least 1"
expect_only_files $inputs
echo "bad_input: ok"
