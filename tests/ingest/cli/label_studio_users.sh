#!/usr/bin/env bash
# Label Studio's standard JSON export names annotators by integer user id (completed_by: 2).
# quarry names such an id "label-studio:2", never "2" (a CSV annotator's name, or another
# server's user 2); with --annotator-map (the server's /api/users saved as JSON) it names the
# user by email, the name an expanded export (completed_by {"id", "email"}) gives, so one person
# stays one annotator. A bad map is bad input naming the file and the entry.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 30 --shape 1x4x4 --classes 3 --first-id 100 --out pool.h5 >/dev/null

# Users 2 and 3 answer item 100 in the standard export; the expanded export of the next round
# names user 2 with its email.
choice() { echo "{\"type\": \"choices\", \"value\": {\"choices\": [\"$1\"]}}"; }
cat >round1.json <<JSON
[{"id": 1, "data": {"quarry_id": 100}, "annotations": [
  {"completed_by": 2, "result": [$(choice class1)]},
  {"completed_by": 3, "result": [$(choice class1)]}]}]
JSON
cat >round2.json <<JSON
[{"id": 2, "data": {"quarry_id": 101}, "annotations": [
  {"completed_by": {"id": 2, "email": "ann@example.org", "first_name": "Ann", "last_name": "A"},
   "result": [$(choice class2)]}]}]
JSON
annotators() {
  /usr/bin/python3 -c 'import h5py,sys; print(" ".join(a.decode() if isinstance(a, bytes) else a for a in h5py.File(sys.argv[1])["annotations"].attrs["annotators"]))' "$1"
}

# Without a map: ids are prefixed, and the expanded export's user 2 is someone else.
expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels plain.h5 round1.json
expect_stdout "2 answers on 1 items from 2 annotators"
expect_stdout "label-studio:2"
expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels plain.h5 round2.json
[ "$(annotators plain.h5)" = "label-studio:2 label-studio:3 ann@example.org" ] ||
  fail "annotators without a map: $(annotators plain.h5)"

# With the server's user list: user 2 is ann@example.org in both rounds; user 3 is not listed.
cat >users.json <<'JSON'
[{"id": 2, "first_name": "Ann", "last_name": "A", "username": "ann", "email": "ann@example.org",
  "last_activity": "2026-01-01T00:00:00Z", "avatar": null, "initials": "AA", "phone": "",
  "active_organization": 1, "allow_newsletters": false, "date_joined": "2025-12-01T00:00:00Z"}]
JSON
for round in 1 2; do
  expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels mapped.h5 \
    --annotator-map users.json round$round.json
done
[ "$(annotators mapped.h5)" = "ann@example.org label-studio:3" ] ||
  fail "annotators with the map: $(annotators mapped.h5)"
grep -q '"annotator_map"' mapped.h5.manifest.json || fail "the manifest does not name the map"

# A bad map: exit 2 naming the file and the user, and the ledger is untouched.
cp mapped.h5 before.h5
printf '[{"id": 2, "email": "ann@example.org"}, {"id": 3}]\n' >bad-users.json
printf '[{"id": 4, "data": {"quarry_id": 102}, "annotations": [{"completed_by": 3, "result": [%s]}]}]\n' \
  "$(choice class0)" >round3.json
expect_exit 2 "$quarry" ingest --format label-studio --pool pool.h5 --labels mapped.h5 \
  --annotator-map bad-users.json round3.json
expect_stderr "bad-users.json: user #2 in the list"
expect_stderr "has no email"
cmp -s mapped.h5 before.h5 || fail "a bad map changed the ledger"
expect_exit 2 "$quarry" ingest --format label-studio --pool pool.h5 --labels mapped.h5 \
  --annotator-map missing.json round3.json
expect_stderr "missing.json"
echo "ok"
