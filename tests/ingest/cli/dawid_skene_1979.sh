# Dawid and Skene's own data (1979, Table 1) through `quarry ingest`, as published: 45 patients,
# classes 1..4, observer 1 rating every patient three times. Repeated answers are accepted and
# stored one by one; with the published method (--confusion-prior flat, no pseudo-counts) the
# ledger holds the paper's 45 labels and the manifest its class priors and log-likelihood.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
data="$source_dir/tests/data/dawid_skene_1979.json"

$py - "$data" <<'PY'
import json, sys
import numpy as np
doc = json.load(open(sys.argv[1]))
with open("table1.csv", "w") as out:
    out.write("id,annotator,label\n")
    for patient, observers in doc["responses"].items():
        for observer, ratings in observers.items():
            for rating in ratings:
                out.write(f"{patient},observer{observer},{rating}\n")
np.save("patients.npy", np.zeros((45, 1, 4, 4), np.uint8))
PY
expect_exit 0 "$quarry" pool import --format npy --input patients.npy --classes 1,2,3,4 \
  --first-id 1 --out pool.h5
[ "$(grep -c , table1.csv)" = 316 ] || fail "table1.csv should hold 315 answers and a header"

published=(--consensus dawid-skene --confusion-prior flat --smoothing 0 --diagonal-prior 0
  --tolerance 1e-12 --min-confidence 0)
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 "${published[@]}" \
  table1.csv
expect_stdout "315 answers on 45 items from 5 annotators"

# The ledger holds every answer, observer 1's three ratings of a patient as three rows, and the
# published labels; the manifest the published priors and log-likelihood.
check() {
  $py - "$data" "$@" <<'PY'
import json, sys
import h5py
doc = json.load(open(sys.argv[1]))
answers = int(sys.argv[2])
reference = doc["reference_result"]
with h5py.File("labels.h5", "r") as f:
    assert list(f["ids"][:]) == list(range(1, 46)), list(f["ids"][:])
    labels = [int(k) + 1 for k in f["labels"][:]]
    assert labels == reference["labels"], [(i + 1, a, b) for i, (a, b)
                                           in enumerate(zip(labels, reference["labels"])) if a != b]
    assert len(f["annotations/ids"]) == answers, len(f["annotations/ids"])
    names = [n.decode() if isinstance(n, bytes) else n for n in f["annotations"].attrs["annotators"]]
    observer1 = names.index("observer1")
    rows = [(int(i), int(l)) for i, a, l in zip(f["annotations/ids"][:], f["annotations/annotator"][:],
                                                  f["annotations/label"][:]) if a == observer1]
    assert sorted(rows)[:3] == [(1, 0), (1, 0), (1, 0)], sorted(rows)[:3]
    assert len(rows) == 135, len(rows)
model = json.load(open("labels.h5.manifest.json"))["settings"]["dawid_skene"]
assert model["confusion_prior"] == "flat", model
for got, want in zip(model["class_priors"], reference["class_priors"]):
    assert abs(got - want) < 0.0006, (model["class_priors"], reference["class_priors"])
assert abs(model["log_likelihood"] - reference["log_likelihood"]) < 0.006, model["log_likelihood"]
PY
}
check 315 || fail "the ledger does not hold Dawid and Skene's result"

# The same file again is a no-op; a cumulative export (the table again, plus one more rating)
# adds only that rating.
before=$(sha256sum labels.h5)
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 "${published[@]}" \
  table1.csv
[ "$(sha256sum labels.h5)" = "$before" ] || fail "re-ingesting the same file changed the ledger"
{ cat table1.csv; echo "1,observer2,1"; } >table1-and-more.csv
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels labels.h5 "${published[@]}" \
  table1-and-more.csv
$py -c '
import h5py
with h5py.File("labels.h5", "r") as f:
    assert len(f["annotations/ids"]) == 316, len(f["annotations/ids"])
    assert list(f["annotations/round"][:]).count(2) == 1
' || fail "the cumulative file was not matched against the stored answers"
echo "ok"
