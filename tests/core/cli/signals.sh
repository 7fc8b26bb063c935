# SIGTERM and SIGUSR1: inside a checkpointed loop (scoring units) the first signal lets the unit
# finish and the run exits 99, resumable; anywhere else (here: blocked opening an input that is a
# FIFO with no writer) one signal ends the process at once with exit 99, and a second signal
# always does, even inside the loop. No sleeps as synchronisation: each step waits for a state
# of the process (/proc) or a file, with a bounded poll.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off

# wait_until DESCRIPTION COMMAND...: polls COMMAND (at most 60 s) until it succeeds.
wait_until() {
  local what=$1
  shift
  for _ in $(seq 600); do
    "$@" && return 0
    sleep 0.1
  done
  fail "gave up waiting until $what"
}
blocked_on_fifo() { [ "$(cat /proc/$1/wchan 2>/dev/null)" = wait_for_partner ]; }
stopped() { [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" = T ]; }
# Ended: gone, or a zombie waiting for `wait` (kill -0 still succeeds on a zombie).
ended() {
  local state
  state=$(awk '{print $3}' /proc/$1/stat 2>/dev/null) || true
  [ -z "$state" ] || [ "$state" = Z ]
}
units_committed() { [ "$(ls "$1" 2>/dev/null | grep -c '^unit-.*bin$')" -ge 1 ]; }

# finished PID: waits (bounded: it must end by itself) and leaves its exit code in $code.
finished() {
  wait_until "process $1 ended" ended "$1"
  code=0
  wait "$1" || code=$?
}

"$quarry" pool synth --n 200 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null

# --- blocked outside any checkpointed loop: one signal ends it, exit 99 ----------------------
# (ingest refuses a FIFO as its input: it wants a regular file.)
mkfifo scores.h5
"$quarry" select --scores scores.h5 --k 5 --out picked.h5 >select.log 2>&1 &
pid=$!
wait_until "select blocks opening the FIFO" blocked_on_fifo $pid
kill -TERM $pid
finished $pid
[ "$code" = 99 ] || { cat select.log >&2; fail "SIGTERM to a blocked select gave exit $code"; }
grep -q "stopped at once by a signal" select.log || fail "the select does not say why it stopped"
[ ! -e picked.h5 ] || fail "an interrupted select published its output"

# SIGUSR1 (Slurm's warning before the time limit) alike: exit 99, so the job requeues.
"$quarry" model init --pool scores.h5 --arch mlp --out model.pt >init.log 2>&1 &
pid=$!
wait_until "model init blocks opening the FIFO" blocked_on_fifo $pid
kill -USR1 $pid
finished $pid
[ "$code" = 99 ] || { cat init.log >&2; fail "SIGUSR1 to a blocked model init gave exit $code"; }
[ ! -e model.pt ] || fail "an interrupted model init published its output"

# --- inside the scoring loop: one SIGTERM stops after the unit, exit 99, resumable -----------
"$quarry" pool synth --n 16384 --shape 1x28x28 --classes 10 --out big.h5 >/dev/null
"$quarry" model init --pool big.h5 --arch small-cnn --seed 1 --out model.pt >/dev/null
common=(--pool big.h5 --model model.pt --unit-chunks 1 --threads 1)

# score_frozen OUT: starts scoring into OUT and freezes it (SIGSTOP) after its first unit, while
# the loop is running; leaves the pid in $pid.
score_frozen() {
  "$quarry" score "${common[@]}" --out "$1" >"$1.log" 2>&1 &
  pid=$!
  wait_until "$1 commits a unit" units_committed "$1.partial"
  kill -STOP $pid
  wait_until "$1 is stopped" stopped $pid
  [ ! -e "$1" ] || fail "scoring $1 finished before it could be interrupted; use a larger pool"
}

score_frozen one.h5
kill -TERM $pid
kill -CONT $pid
finished $pid
[ "$code" = 99 ] || { cat one.h5.log >&2; fail "one SIGTERM while scoring gave exit $code"; }
grep -q "interrupted: units are committed" one.h5.log || fail "one SIGTERM did not stop cleanly"
[ ! -e one.h5 ] || fail "an interrupted run published its output"
expect_exit 0 "$quarry" score "${common[@]}" --out one.h5 --resume

# --- two signals inside the loop: the second ends the process at once -------------------------
# (SIGTERM then SIGUSR1 while frozen: two signals of one kind would merge into one pending.)
score_frozen two.h5
kill -TERM $pid
kill -USR1 $pid
kill -CONT $pid
finished $pid
[ "$code" = 99 ] || { cat two.h5.log >&2; fail "two signals while scoring gave exit $code"; }
grep -q "stopped at once by a signal" two.h5.log || { cat two.h5.log >&2; fail "the second signal did not end the run at once"; }
grep -q "units are committed" two.h5.log && fail "the second signal waited for the unit"
[ ! -e two.h5 ] || fail "a run ended by two signals published its output"
echo "ok"
