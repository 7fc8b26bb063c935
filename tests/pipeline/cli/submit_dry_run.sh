#!/usr/bin/env bash
# quarry submit --dry-run prints the exact sbatch chain: one job per stage still to do, resources
# from quarry.ini, the scoring job's nodes sized from the pool, afterok dependencies.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 5000 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --settings "$source_dir/configs/nightly.ini" \
  --set slurm.score.items-per-node=2000 --set slurm.score.max-nodes=8 \
  --set slurm.account=proj7 --set "slurm.extra=--qos=night" >/dev/null
expect_exit 0 "$quarry" submit ws --dry-run
ws=$(cd ws && pwd)
bin=$(readlink -f "$quarry")
expect_stdout "ingest_job=\$(sbatch --parsable --job-name=quarry-ingest-0001 --chdir=$ws --nodes=1 --ntasks-per-node=1 --cpus-per-task=2 --time=00:30:00 --account=proj7 --export=ALL,QUARRY_HOME=$source_dir,QUARRY_BIN=$bin,QUARRY_WORKSPACE=$ws,QUARRY_ROUND=1,QUARRY_MPI_IO=ompio --qos=night $source_dir/slurm/ingest.sbatch)"
# 5000 items at 2000 per node: 3 nodes.
expect_stdout "score_job=\$(sbatch --parsable --dependency=afterok:\$train_job --kill-on-invalid-dep=yes --job-name=quarry-score-0001 --chdir=$ws --nodes=3 --ntasks-per-node=4 --cpus-per-task=8 --gpus-per-task=1 --time=02:00:00"
expect_stdout "export_job=\$(sbatch --parsable --dependency=afterok:\$select_job --kill-on-invalid-dep=yes"
[ "$(grep -c 'sbatch --parsable' "$work/stdout")" = 5 ] || fail "expected 5 jobs"
[ ! -e ws/rounds/0001 ] || fail "a dry run created the round"

# A dry run of a half-done round lists only what is left.
mkdir -p ws/rounds/0001
for output in ingest.json model.pt; do
  echo x >"ws/rounds/0001/$output"
  echo '{"complete": true}' >"ws/rounds/0001/$output.manifest.json"
done
expect_exit 0 "$quarry" submit ws --dry-run
[ "$(grep -c 'sbatch --parsable' "$work/stdout")" = 3 ] || fail "expected 3 jobs"
expect_stdout "score_job=\$(sbatch --parsable --job-name=quarry-score-0001"
echo "ok"
