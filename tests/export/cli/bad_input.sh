# quarry export refuses bad input with a message naming the file and the problem, exit 2, and
# publishes nothing: no folder, no manifest, no temporary left behind.
source "$(dirname "$0")/../../support/lib.bash"
fixture=${QUARRY_EXPORT_FIXTURE:?the fixture maker (quarry_export_fixture)}

"$fixture" make . 100 1x8x8 3 10
"$fixture" selection foreign.h5 1000,424242
"$fixture" scores pool.h5 other-scores.h5 7
args=(--pool pool.h5 --format csv,cvat --out out)

expect_exit 2 "$quarry" export --selection foreign.h5 --scores scores.h5 "${args[@]}"
expect_stderr "foreign.h5: /ids: row 1: id 424242 is not in the pool"
expect_only_files foreign.h5 other-scores.h5 pool.h5 scores.h5 selection.h5

expect_exit 2 "$quarry" export --selection selection.h5 --scores other-scores.h5 "${args[@]}"
expect_stderr "other-scores.h5: /ids: row 0 holds id 1007 but the pool"
expect_stderr "scores of another pool"
expect_only_files foreign.h5 other-scores.h5 pool.h5 scores.h5 selection.h5

expect_exit 2 "$quarry" export --selection selection.h5 --scores scores.h5 --pool pool.h5 \
  --format csv,yolo --out out
expect_stderr "unknown format 'yolo'"
expect_stderr "label-studio, cvat, coco, sagemaker, csv"
expect_only_files foreign.h5 other-scores.h5 pool.h5 scores.h5 selection.h5

mkdir out && echo "earlier work" >out/notes.txt
expect_exit 2 "$quarry" export --selection selection.h5 --scores scores.h5 "${args[@]}"
expect_stderr "out already exists and is not empty"
expect_stderr "--force"
[ "$(cat out/notes.txt)" = "earlier work" ] || fail "the existing folder was touched"
expect_only_files foreign.h5 other-scores.h5 out pool.h5 scores.h5 selection.h5

expect_exit 2 "$quarry" export --selection selection.h5 --scores scores.h5 "${args[@]}" \
  --force --annotators ann,bob --annotators-per-item 3
expect_stderr "needs at least 3 annotators"
[ -f out/notes.txt ] || fail "a refused --force export removed the old folder"

expect_exit 2 "$quarry" export --selection selection.h5 --scores scores.h5 "${args[@]}" \
  --force --gold-rate 0.1
expect_stderr "--gold-rate needs --labels"

expect_exit 2 "$quarry" export --selection missing.h5 --scores scores.h5 "${args[@]}" --force
expect_stderr "missing.h5"
[ -f out/notes.txt ] || fail "a refused --force export removed the old folder"
ls -A | grep -q '^\..*tmp' && fail "a temporary was left behind"

# With --force the old folder is replaced by a whole new export.
expect_exit 0 "$quarry" export --selection selection.h5 --scores scores.h5 "${args[@]}" --force
[ ! -e out/notes.txt ] || fail "--force kept the old contents"
[ -f out/csv/items.csv ] && [ -f out/cvat/annotations.xml ] || fail "--force export incomplete"
echo "bad_input: ok"
