# Shared by the ingest CLI tests of bad input: a 20-item pool, a ledger with one ingest in it, and
# expect_rejected, which checks that bad input leaves the ledger and its manifest byte-identical.
source "$(dirname "${BASH_SOURCE[0]}")/../../support/lib.bash"

"$quarry" pool synth --n 20 --shape 1x4x4 --classes 3 --out pool.h5 >/dev/null
printf 'id,annotator,label\n1,alice,class0\n1,bob,class0\n' >round1.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 round1.csv
fingerprint() { sha256sum labels.h5 labels.h5.manifest.json; }
before=$(fingerprint)

# expect_rejected FORMAT FILE MESSAGE [ARGS]: exit 2, the message, the ledger untouched, no
# leftovers.
expect_rejected() {
  local format=$1 file=$2 message=$3
  shift 3
  expect_exit 2 "$quarry" ingest --format "$format" --pool pool.h5 --labels labels.h5 "$@" "$file"
  expect_stderr "$message"
  [ "$(fingerprint)" = "$before" ] || fail "the ledger changed after bad input $file"
  ! ls -A | grep -q '\.tmp-' || fail "a temporary file was left behind: $(ls -A)"
}
