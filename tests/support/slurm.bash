# Sourced by the Slurm CLI tests after lib.bash: a private test cluster (slurm/local) and the
# queue helpers they share.
#   start_test_cluster [--nodes N]   starts it (exit 77, skipped, where this machine cannot
#                                    host it: no slurm-wlm or munge, not root); stopped on exit

start_test_cluster() {
  cluster=$(mktemp -d /tmp/quarry-slurm-test.XXXXXX)
  chmod 755 "$cluster"  # munged runs as the munge user and must reach its folder
  export QUARRY_SLURM_DIR=$cluster/state QUARRY_SLURM_PORT=$((20000 + ($$ % 2500) * 4))
  trap '"$source_dir/slurm/local/stop" >/dev/null 2>&1; rm -rf "$cluster" "$work"' EXIT
  local started=0 setup
  setup=$("$source_dir/slurm/local/start" "$@") || started=$?
  if [ "$started" = 77 ]; then
    echo "SKIP: this machine cannot host the Slurm test cluster"
    exit 77
  fi
  [ "$started" = 0 ] || fail "slurm/local/start $* failed ($started)"
  eval "$setup"
  sinfo >/dev/null || fail "the cluster does not answer"
}

active_jobs() { squeue -h -o %i -t PENDING,RUNNING,CONFIGURING,COMPLETING,REQUEUED,REQUEUE_HOLD,SUSPENDED | tr '\n' ' '; }
wait_for_queue() {
  for _ in $(seq 1 1200); do
    [ -z "$(active_jobs)" ] && return 0
    sleep 0.25
  done
  squeue -t all >&2
  fail "jobs still queued: $(active_jobs)"
}
job_state() { squeue -h -t all -j "$1" -o %T; }
# The job id quarry submit printed for STAGE.
job_of() { sed -n "s/.* $1 \([0-9]*\).*/\1/p" "$work/stdout"; }
units() { ls "$1" 2>/dev/null | grep -c '^unit-.*bin$' || true; }
# Waits until scoring committed 2 units into its partial folder PARTIAL.
wait_for_units() {
  for _ in $(seq 1 2400); do
    [ "$(units "$1")" -ge 2 ] && return 0
    [ -e "${1%.partial}.manifest.json" ] && fail "scoring finished before the test could stop it"
    sleep 0.05
  done
  squeue -t all >&2
  fail "scoring never committed a unit in $1"
}
# Kills round ROUND's scoring job JOB of workspace WS with SIGKILL mid-way, after it committed
# units; the scoring ranks are frozen first, so scoring cannot finish while scancel reaches the
# controller. The workspace's absolute path (what the job runs with) keeps other tests' cycles
# out of reach.
kill_scoring() {
  local ws=$1 round=$2 job=$3
  wait_for_units "$ws/rounds/$round/scores.h5.partial"
  pkill -STOP -f -- "cycle $(cd "$ws" && pwd) --stage score --round" || true
  scancel --signal=KILL --full "$job"
  wait_for_queue
  [ -e "$ws/rounds/$round/scores.h5.manifest.json" ] && fail "the killed scoring job finished"
  [ "$(job_state "$job")" != COMPLETED ] || fail "the killed job completed"
}
