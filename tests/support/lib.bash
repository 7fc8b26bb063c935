# Shared by the CLI tests: each test script gets the quarry binary as $1 and a fresh folder.
set -euo pipefail
# Paths first, while relative ones still mean what they meant to the caller (a script run by hand).
quarry=$(realpath "$1")
source_dir=${QUARRY_TEST_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
work=$(mktemp -d /tmp/quarry-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_exit CODE command...: runs the command, keeps its stderr in $work/stderr, checks the code.
expect_exit() {
  local want=$1 got=0
  shift
  "$@" >"$work/stdout" 2>"$work/stderr" || got=$?
  if [ "$got" != "$want" ]; then
    cat "$work/stdout" "$work/stderr" >&2
    fail "expected exit $want, got $got: $*"
  fi
}

# expect_stderr TEXT: the last command's stderr contains TEXT.
expect_stderr() {
  grep -qF -- "$1" "$work/stderr" || { cat "$work/stderr" >&2; fail "stderr lacks: $1"; }
}

expect_stdout() {
  grep -qF -- "$1" "$work/stdout" || { cat "$work/stdout" >&2; fail "stdout lacks: $1"; }
}

# No file appeared except the listed ones (bad input must leave no partial output).
expect_only_files() {
  local listing
  listing=$(ls -A "$work" | grep -v -x -e stdout -e stderr | sort | tr '\n' ' ')
  [ "$listing" = "$* " ] || [ -z "$*" -a -z "$listing" ] || fail "folder holds '$listing', expected '$*'"
}

# expect_bad_input OUT TEXT COMMAND...: exit 2, TEXT in stderr, neither OUT nor its manifest
# published; the partial run the refusal may have left is cleared for the next case.
expect_bad_input() {
  local out=$1 text=$2
  shift 2
  expect_exit 2 "$@"
  expect_stderr "$text"
  [ ! -e "$out" ] && [ ! -e "$out.manifest.json" ] || fail "bad input published $out"
  rm -rf "$out.partial"
}

# with_lock FILE command...: runs the command while another process holds an fcntl lock on FILE,
# the kind quarry's locks take (flock(1) takes the other kind, which they do not see).
with_lock() {
  local file=$1
  shift
  /usr/bin/python3 -c '
import fcntl, subprocess, sys
with open(sys.argv[1], "a") as lock:
    fcntl.lockf(lock, fcntl.LOCK_EX)
    sys.exit(subprocess.run(sys.argv[2:]).returncode)' "$file" "$@"
}

mpi() {
  local ranks=$1
  shift
  "$source_dir/tests/support/run_mpi" "$ranks" "$@"
}

# label_first POOL N LEDGER: the pool's true labels of its first N items, answered by one
# "oracle" annotator in answers.csv and ingested into LEDGER through the real ingest path.
label_first() {
  local pool=$1 count=$2 ledger=$3
  /usr/bin/python3 - "$pool" "$count" <<'PY'
import sys
import h5py
pool, count = h5py.File(sys.argv[1], "r"), int(sys.argv[2])
with open("answers.csv", "w") as out:
    out.write("id,annotator,label\n")
    for i, label in zip(pool["ids"][:count], pool["labels"][:count]):
        out.write(f"{i},oracle,{label}\n")
PY
  expect_exit 0 "$quarry" ingest --annotations answers.csv --format csv --pool "$pool" \
    --labels "$ledger"
}

# kill_training OUT DIGITS: once `quarry train ... --out OUT`, started in the background with an
# absolute OUT under $work (so no other test's run matches), has checkpointed an epoch count
# matching the bracket expression DIGITS (e.g. 2-9), freezes its processes at once (the epochs
# left must not race the kill), kills and reaps them, and sets killed_epochs to the epochs
# completed. Not in $(...): wait must run in the job's own shell.
kill_training() {
  local out=$1 digits=$2
  for _ in $(seq 1200); do
    grep -qs "\"epochs_completed\": *[$digits]" "$out.partial/state.json" && break
    sleep 0.1
  done
  pkill -STOP -f "train .*--out $out" || true
  pkill -KILL -f "train .*--out $out" || true
  wait 2>/dev/null || true
  killed_epochs=$(/usr/bin/python3 -c \
    "import json; print(json.load(open('$out.partial/state.json'))['epochs_completed'])")
}

# kill_cycle JOB WS: `quarry cycle WS`, started with setsid in the background as job JOB (WS an
# absolute path under $work, so no other test's cycle matches), is frozen with every rank at once
# (the stage must not race the kill), killed (SIGKILL) and reaped. Not in $(...): wait must run in
# the job's own shell.
kill_cycle() {
  local job=$1 ws=$2
  kill -STOP -- "-$job" 2>/dev/null || true
  pkill -STOP -f "$quarry cycle $ws" || true
  kill -KILL -- "-$job" 2>/dev/null || true
  # The ranks themselves too: mpiexec's children can outlive it for a while.
  pkill -KILL -f "$quarry cycle $ws" || true
  wait "$job" 2>/dev/null || true
  for _ in $(seq 1 100); do pgrep -f "$quarry cycle $ws" >/dev/null || break; sleep 0.05; done
}
