# A ledger shared through symbolic links (W1/labels.h5 -> ../shared/labels.h5): ingest writes the
# real file and keeps the links, every link takes the real file's lock, and the manifest sits
# beside the real file. Leftovers of a killed ingest are cleaned, and a ledger committed without
# its manifest gets one from the next (otherwise no-op) ingest.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 20 --shape 1x4x4 --classes 3 --out pool.h5 >/dev/null
mkdir shared a b
printf 'id,annotator,label\n1,x,class0\n1,y,class0\n' >one.csv
printf 'id,annotator,label\n2,x,class1\n2,y,class1\n' >two.csv
printf 'id,annotator,label\n3,x,class2\n3,y,class2\n' >three.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels shared/labels.h5 one.csv
ln -s ../shared/labels.h5 a/labels.h5
ln -s ../shared/labels.h5 b/labels.h5
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels a/labels.h5 two.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels b/labels.h5 three.csv
[ -L a/labels.h5 ] && [ -L b/labels.h5 ] || fail "a link was replaced by a file: $(ls -l a b)"
ids=$(/usr/bin/python3 -c 'import h5py; print(list(h5py.File("shared/labels.h5")["/ids"][:]))')
[ "$ids" = "[1, 2, 3]" ] || fail "the shared ledger holds ids $ids, expected [1, 2, 3]"
[ -f shared/labels.h5.manifest.json ] && [ ! -e a/labels.h5.manifest.json ] ||
  fail "the manifest is not beside the real ledger: $(ls -A shared a)"

# The lock belongs to the real file: holding shared/labels.h5.lock stops an ingest through a link.
printf 'id,annotator,label\n4,x,class0\n4,y,class0\n' >four.csv
with_lock shared/labels.h5.lock "$quarry" ingest --format csv --pool pool.h5 --labels a/labels.h5 \
  four.csv >stdout 2>stderr && fail "an ingest through a link ignored the real ledger's lock"
expect_stderr "another ingest is writing this ledger"

# A dangling link: the first ingest creates the real file the link names.
ln -s ../shared/new.h5 a/new.h5
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels a/new.h5 one.csv
[ -L a/new.h5 ] && [ -f shared/new.h5 ] || fail "the dangling link's target was not created"

# Temporaries a killed ingest left (of the ledger, its manifest, a rejects file) are removed once
# the lock is held; those of other files stay.
touch shared/.labels.h5.tmp-4194304 shared/.labels.h5.manifest.json.tmp-77 \
  shared/.labels.h5.round-0009.rejected.jsonl.tmp-5 shared/.other.h5.tmp-12
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels a/labels.h5 four.csv
left=$(cd shared && ls -A | grep '\.tmp-' | tr '\n' ' ')
[ "$left" = ".other.h5.tmp-12 " ] || fail "temporaries left: '$left'"

# Stopped between committing the ledger and publishing its manifest: the ledger is new and has
# no manifest (ingest retracts it first), maybe with the manifest's temporary beside it. Running
# the same ingest again changes nothing else and writes the manifest.
rm shared/labels.h5.manifest.json
touch shared/.labels.h5.manifest.json.tmp-99
ledger=$(sha256sum <shared/labels.h5)
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels b/labels.h5 four.csv
expect_stdout "is already in the ledger, skipped"
[ "$(sha256sum <shared/labels.h5)" = "$ledger" ] || fail "the no-op ingest changed the ledger"
/usr/bin/python3 - <<'PY' || fail "the restored manifest does not describe the ledger"
import hashlib, json
manifest = json.load(open("shared/labels.h5.manifest.json"))
digest = hashlib.sha256(open("shared/labels.h5", "rb").read()).hexdigest()
assert manifest["complete"] and manifest["outputs"]["ledger"]["sha256"] == digest, manifest
PY
[ ! -e shared/.labels.h5.manifest.json.tmp-99 ] || fail "the manifest's temporary was left"
