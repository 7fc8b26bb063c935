# The guarantees every `quarry score` run keeps, checked the same way for classification and
# detection pools (sourced by tests/score/cli/*.sh after lib.bash). Each takes the common
# arguments of the runs in the array `common` (pool, model, --unit-chunks 1, threads, ...).

# same_for_rank_counts ITEMS: scores np1.h5, np2.h5 and np3.h5 (ITEMS items) with 1, 2 and 3
# ranks and checks that the files hold the same datasets, bit for bit.
same_for_rank_counts() {
  local items=$1 ranks
  for ranks in 1 2 3; do
    expect_exit 0 mpi $ranks "$quarry" score "${common[@]}" --out np$ranks.h5
    expect_stdout "score: $items items ($items scored now"
    [ -s np$ranks.h5.manifest.json ] || fail "np$ranks.h5 has no manifest"
    [ ! -e np$ranks.h5.partial ] || fail "np$ranks.h5.partial was left behind"
  done
  /usr/bin/python3 - <<'PY' || fail "scores differ between rank counts"
import h5py, numpy as np
files = [h5py.File(f"np{n}.h5", "r") for n in (1, 2, 3)]
names = []
files[0].visititems(lambda name, node: names.append(name) if isinstance(node, h5py.Dataset) else None)
for name in names:
    for f in files[1:]:
        assert np.array_equal(files[0][name][()], f[name][()]), f"{name} differs in {f.filename}"
PY
}

# start_scoring NAME UNITS: starts a 2-rank run writing $work/NAME.h5 in the background (its
# launcher's pid in $launcher) and returns once UNITS of its units are committed. The absolute
# output path lets the signals below reach this test's ranks only.
start_scoring() {
  local name=$1 units=$2
  mpi 2 "$quarry" score "${common[@]}" --out "$work/$name.h5" >"$name.log" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do
    [ "$(ls "$name.h5.partial" 2>/dev/null | grep -c '^unit-.*bin$')" -ge "$units" ] && break
    sleep 0.1
  done
}

# kill_and_resume UNITS ITEMS: a 2-rank run frozen and killed with SIGKILL once two units are
# committed, then --resume: byte-identical to np2.h5. The pool has UNITS units and ITEMS items.
kill_and_resume() {
  local units=$1 items=$2 launcher committed
  start_scoring killed 2
  # Frozen at once, then killed: the units left must not race the kill.
  pkill -STOP -f "score .*--out $work/killed.h5" || true
  pkill -KILL -f "score .*--out $work/killed.h5" || true
  wait $launcher 2>/dev/null || true
  committed=$(ls killed.h5.partial | grep -c '^unit-.*bin$' || true)
  [ "$committed" -ge 2 ] && [ "$committed" -lt "$units" ] ||
    fail "expected a half-done run, found $committed units"
  [ ! -e killed.h5 ] || fail "a killed run published its output"
  expect_exit 0 mpi 2 "$quarry" score "${common[@]}" --out "$work/killed.h5" --resume
  expect_stdout "$committed of $units units resumed"
  expect_stdout "($((items - committed * items / units)) scored now"
  cmp killed.h5 np2.h5 || fail "the resumed file differs from the uninterrupted one"
}

# usr1_and_resume: SIGUSR1 to every rank of a 2-rank run: each finishes its unit, exit 99,
# nothing published, and --resume gives np2.h5's bytes.
usr1_and_resume() {
  local launcher ranks code=0
  start_scoring usr1 1
  # What srun --signal does: every task gets SIGUSR1. The ranks are frozen first, so the units
  # left cannot finish before the signal is there (a second signal would end them at once).
  ranks=$(pgrep -f "^$quarry score .*--out $work/usr1.h5" | tr '\n' ' ')
  [ -n "$ranks" ] || fail "no scoring ranks to signal"
  kill -STOP $ranks
  kill -USR1 $ranks
  kill -CONT $ranks
  wait $launcher || code=$?
  [ "$code" = 99 ] || { cat usr1.log >&2; fail "SIGUSR1 gave exit $code, expected 99"; }
  grep -q "with --resume" usr1.log || fail "the interrupted run does not say how to resume"
  [ ! -e usr1.h5 ] && [ ! -e usr1.h5.manifest.json ] || fail "an interrupted run published output"
  expect_exit 0 mpi 2 "$quarry" score "${common[@]}" --out "$work/usr1.h5" --resume
  cmp usr1.h5 np2.h5 || fail "the file resumed after SIGUSR1 differs from the uninterrupted one"
}
