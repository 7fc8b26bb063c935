# quarry pool check: the same answer on 1, 2 and 3 ranks; a world that disagrees with Slurm's
# task count is refused instead of running as independent single-rank jobs.
source "$(dirname "$0")/../../support/lib.bash"

expect_exit 0 "$quarry" pool synth --n 7000 --shape 1x16x16 --classes 4 --out pool.h5
reference=""
for ranks in 1 2 3; do
  expect_exit 0 mpi "$ranks" "$quarry" pool check pool.h5 --batch-size 500
  expect_stdout "pool check: 7000 items ok on $ranks rank(s)"
  mean=$(grep -o 'mean value [0-9.]*' "$work/stdout")
  [ -z "$reference" ] && reference=$mean
  [ "$mean" = "$reference" ] || fail "$ranks ranks gave $mean, 1 rank gave $reference"
done

expect_exit 2 env SLURM_NTASKS=4 "$quarry" pool check pool.h5
expect_stderr "MPI world has 1 rank(s) but SLURM_NTASKS=4"
echo "check_mpi: ok"
