# Sourced by the stage templates (slurm/*.sbatch): runs one stage of a quarry round in this job
# and requeues the job when the stage was interrupted after a checkpoint (exit 99: Slurm's
# --signal=USR1@300 before the time limit, or a preemption), so it resumes where it stopped.
# quarry submit passes QUARRY_HOME, QUARRY_BIN, QUARRY_WORKSPACE and QUARRY_ROUND.
: "${QUARRY_HOME:?submit with quarry submit (QUARRY_HOME unset)}"
: "${QUARRY_WORKSPACE:?submit with quarry submit (QUARRY_WORKSPACE unset)}"
: "${QUARRY_ROUND:?submit with quarry submit (QUARRY_ROUND unset)}"

# Parallel file systems: the site chooses the MPI-IO component (ompio or romio321).
export OMPI_MCA_io=${QUARRY_MPI_IO:-ompio}
# One thread pool per rank, sized by the allocation (quarry reads SLURM_CPUS_PER_TASK too).
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
export QUARRY_PROGRESS=${QUARRY_PROGRESS:-lines}

run_stage() {
  local stage=$1 rc=0
  echo "quarry: round $QUARRY_ROUND stage $stage, job ${SLURM_JOB_ID:-?} (restart ${SLURM_RESTART_COUNT:-0}) on ${SLURM_JOB_NODELIST:-?}"
  "$QUARRY_HOME/jobs/$stage" || rc=$?
  if [ "$rc" = 99 ]; then
    echo "quarry: stage $stage stopped after a checkpoint; requeueing job $SLURM_JOB_ID"
    scontrol requeue "$SLURM_JOB_ID"
    exit 0
  fi
  exit "$rc"
}
