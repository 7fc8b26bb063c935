# Manifests record the inputs as the stage started to read them: score's and train's manifests
# hold the sha256 each input had before the run, and an input changed while the ranks work makes
# the stage exit 2 naming the file, with nothing published (no output, manifest or partial run).
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
export QUARRY_PROGRESS=off

# manifest_matches MANIFEST ROLE FILE SHA256: the manifest records FILE's digest from before the run.
manifest_matches() {
  $py - "$@" <<'PY' || fail "$1 does not record $3 as it was before the run"
import json, os, sys
manifest, role, path, sha = sys.argv[1:]
entry = json.load(open(manifest))["inputs"][role]
assert entry["sha256"] == sha and entry["path"] == os.path.abspath(path), entry
assert entry["bytes"] == os.path.getsize(path), entry
PY
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

# wait_for TEST LOG: polls until TEST succeeds, failing when the run in the background ended first.
wait_for() {
  local test=$1 log=$2
  for _ in $(seq 1200); do
    eval "$test" && return 0
    kill -0 "$launcher" 2>/dev/null || { cat "$log" >&2; fail "the run ended before: $test"; }
    sleep 0.05
  done
  fail "timed out waiting for: $test"
}

# The ranks of this test's own run (its output lies in $work, unique to this test): frozen while
# an input changes, so the change falls inside the run wherever the ranks are.
ranks_of() {
  local ranks
  ranks=$(pgrep -f "^$quarry $1 .*--out $work/$2" | tr '\n' ' ')
  [ -n "$ranks" ] || fail "no ranks of quarry $1 --out $work/$2"
  echo "$ranks"
}

# expect_refused LOG OUT TEXT: the run in the background exited 2 with TEXT, publishing nothing.
expect_refused() {
  local log=$1 out=$2 text=$3 code=0
  wait "$launcher" || code=$?
  [ "$code" = 2 ] || { cat "$log" >&2; fail "a changed input gave exit $code, expected 2"; }
  grep -qF -- "$text" "$log" || { cat "$log" >&2; fail "the message lacks: $text"; }
  [ "$(grep -cF -- "$text" "$log")" = 1 ] || { cat "$log" >&2; fail "more than one rank reported it"; }
  for leftover in "$out" "$out.manifest.json" "$out.partial"; do
    [ ! -e "$leftover" ] || fail "the refused run left $leftover"
  done
  ls -A | grep -q "^\.$(basename "$out")\.tmp" && fail "the refused run left a temporary of $out"
  return 0
}

expect_exit 0 "$quarry" pool synth --n 16384 --shape 1x28x28 --classes 10 --seed 4 --out pool.h5
expect_exit 0 "$quarry" model init --pool pool.h5 --arch small-cnn --seed 1 --out model.pt
score=(--pool pool.h5 --model model.pt --unit-chunks 1 --threads 1)

# --- score: the manifest records the files as they were before the run -------------------------
pool_sha=$(sha pool.h5)
model_sha=$(sha model.pt)
expect_exit 0 mpi 2 "$quarry" score "${score[@]}" --out "$work/scores.h5"
manifest_matches scores.h5.manifest.json pool pool.h5 "$pool_sha"
manifest_matches scores.h5.manifest.json model model.pt "$model_sha"
$py - <<'PY' || fail "the score manifest's timings are not apart from the hashing"
import json
t = json.load(open("scores.h5.manifest.json"))["timings_s"]
assert {"scoring", "hashing_inputs", "verifying_inputs", "total"} <= t.keys(), t
PY

# --- score: the pool grows while the ranks score -----------------------------------------------
mpi 2 "$quarry" score "${score[@]}" --out "$work/changed.h5" >changed.log 2>&1 &
launcher=$!
wait_for '[ "$(ls changed.h5.partial 2>/dev/null | grep -c "^unit-.*bin$")" -ge 1 ]' changed.log
ranks=$(ranks_of score changed.h5)
kill -STOP $ranks
[ ! -e changed.h5.manifest.json ] || fail "scoring finished before the ranks were frozen"
# Bytes after the end HDF5 knows of: the pool stays readable, and the ranks finish their units.
printf 'x' >>pool.h5
kill -CONT $ranks
expect_refused changed.log changed.h5 \
  "pool.h5 changed while quarry score was reading it: its size went from"
grep -qF "; rerun" changed.log || fail "the message does not say to rerun"

# --- train: the manifest records the files as they were; an input rewritten in place ----------
expect_exit 0 "$quarry" pool synth --n 2048 --shape 1x28x28 --classes 10 --seed 5 --out train.h5
expect_exit 0 "$quarry" pool synth --n 256 --shape 1x28x28 --classes 10 --seed 5 \
  --first-id 100000 --out test.h5
label_first train.h5 600 ledger.h5
train=(--pool train.h5 --labels ledger.h5 --model model.pt --eval-pool test.h5 --batch 64
  --threads 1)
declare -A before=([pool]=$(sha train.h5) [labels]=$(sha ledger.h5) [model]=$(sha model.pt)
  [eval_pool]=$(sha test.h5))
expect_exit 0 mpi 2 "$quarry" train "${train[@]}" --epochs 1 --out "$work/trained.pt"
manifest_matches trained.pt.manifest.json pool train.h5 "${before[pool]}"
manifest_matches trained.pt.manifest.json labels ledger.h5 "${before[labels]}"
manifest_matches trained.pt.manifest.json model model.pt "${before[model]}"
manifest_matches trained.pt.manifest.json eval_pool test.h5 "${before[eval_pool]}"

# The starting model is rewritten in place once the first epoch is done, with the same size and
# its old mtime put back (as `rsync --inplace -t` would): only the change time tells.
mpi 2 "$quarry" train "${train[@]}" --epochs 8 --out "$work/changed.pt" >train.log 2>&1 &
launcher=$!
wait_for 'grep -qs "\"epochs_completed\"" changed.pt.partial/state.json' train.log
ranks=$(ranks_of train changed.pt)
kill -STOP $ranks
[ ! -e changed.pt.manifest.json ] || fail "training finished before the ranks were frozen"
$py - <<'PY'
import os
stat = os.stat("model.pt")
with open("model.pt", "r+b") as model:
    model.seek(stat.st_size - 1)
    last = model.read(1)
    model.seek(stat.st_size - 1)
    model.write(bytes([last[0] ^ 0xFF]))
os.utime("model.pt", ns=(stat.st_atime_ns, stat.st_mtime_ns))
PY
kill -CONT $ranks
expect_refused train.log changed.pt \
  "model.pt changed while quarry train was reading it: it was written to or its attributes changed"
echo "manifest_inputs: ok"
