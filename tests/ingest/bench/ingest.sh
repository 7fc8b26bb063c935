#!/usr/bin/env bash
# Ingest benchmark: N items (default 300,000) answered by 3 simulated annotators (90%, 75%, 55%
# accurate, 10 classes) as one CSV; ingested with majority vote and with Dawid-Skene into fresh
# ledgers, then a small second round appended to the full ledger (the ledger is rewritten whole
# on every ingest). Reference, measured in the same run: awk counting the labels of the same
# file (one text pass). Also prints how many true labels each consensus recovered.
# usage: tests/ingest/bench/ingest.sh QUARRY_BINARY [N]
set -euo pipefail
quarry=$(realpath "$1")
n=${2:-300000}
work=$(mktemp -d /tmp/quarry-bench-ingest.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$quarry" pool synth --n "$n" --shape 1x4x4 --classes 10 --out pool.h5 >/dev/null
/usr/bin/python3 - "$n" <<'PY'
import random, sys
n = int(sys.argv[1]); rng = random.Random(7)
accuracy = {"ann": 0.90, "bob": 0.75, "cy": 0.55}
with open("answers.csv", "w") as out, open("truth.txt", "w") as truth:
    out.write("id,annotator,label\n")
    for item in range(n):
        t = rng.randrange(10)
        truth.write(f"{t}\n")
        for who, p in accuracy.items():
            label = t if rng.random() < p else (t + rng.randrange(1, 10)) % 10
            out.write(f"{item},{who},{label}\n")
    with open("round2.csv", "w") as r2:
        r2.write("id,annotator,label\n")
        for item in range(1000):
            r2.write(f"{item},judge,{rng.randrange(10)}\n")
PY
answers=$((3 * n))

seconds() { /usr/bin/python3 -c "import time; print(time.monotonic())"; }
rate() { /usr/bin/python3 -c "import sys; a,t0,t1,ref=map(float,sys.argv[1:]); t=t1-t0; print(f'{a/t:12.0f} {t:8.2f} {ref/t if ref else 1:7.2f}')" "$@"; }
correct() {
  /usr/bin/python3 - "$1" <<'PY'
import subprocess, sys
text = subprocess.run(["h5dump", "-d", "/labels", "-y", "-w", "0", sys.argv[1]], capture_output=True, text=True).stdout
body = text[text.index("DATA {") + 6:text.rindex("}")].replace("}", "").replace(",", " ")
labels = [int(v) for v in body.split()]
truth = [int(v) for v in open("truth.txt")]
ids = subprocess.run(["h5dump", "-d", "/ids", "-y", "-w", "0", sys.argv[1]], capture_output=True, text=True).stdout
ids = [int(v) for v in ids[ids.index("DATA {") + 6:ids.rindex("}")].replace("}", "").replace(",", " ").split()]
print(sum(truth[i] == l for i, l in zip(ids, labels)), len(truth))
PY
}

printf '%-44s %12s %8s %7s\n' "ingest ($n items x 3 answers)" "answers/s" "s" "vs ref"
t0=$(seconds); awk -F, '{count[$3]++} END {print length(count) > "/dev/null"}' answers.csv; t1=$(seconds)
ref=$(/usr/bin/python3 -c "print($t1-$t0)")
printf '%-44s %s\n' "reference: awk pass over the CSV" "$(rate $answers $t0 $t1 $ref)"
for method in majority dawid-skene; do
  t0=$(seconds)
  "$quarry" ingest --format csv --pool pool.h5 --labels "$method.h5" --consensus "$method" \
    --min-confidence 0 answers.csv >"$method.out"
  t1=$(seconds)
  printf '%-44s %s\n' "ingest --consensus $method" "$(rate $answers $t0 $t1 $ref)"
  grep '^time:' "$method.out" | sed 's/^/    /'
done
t0=$(seconds)
"$quarry" ingest --format csv --pool pool.h5 --labels dawid-skene.h5 round2.csv >round2.out
t1=$(seconds)
printf '%-44s %s\n' "round 2: 1,000 answers onto the full ledger" "$(rate 1000 $t0 $t1 0)"
grep '^time:' round2.out | sed 's/^/    /'
for method in majority dawid-skene; do
  read -r good total < <(correct "$method.h5")
  printf 'true labels recovered, %-12s %d of %d (%.2f%%)\n' "$method:" "$good" "$total" \
    "$(/usr/bin/python3 -c "print(100*$good/$total)")"
done
