#!/usr/bin/env bash
# Workspace commands on bad input: exit 2 and a message naming what is wrong, nothing created.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 600 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null

# Not a workspace.
mkdir plain
for command in cycle status submit; do
  expect_exit 2 "$quarry" "$command" plain
  expect_stderr "plain: quarry.ini: missing: this is not a quarry workspace"
done
expect_exit 2 "$quarry" cycle missing-folder
expect_stderr "missing-folder: folder: does not exist"

# A settings key that does not exist, from --set, a template or the workspace file.
expect_exit 2 "$quarry" init ws --pool pool.h5 --set train.epoch=3
expect_stderr "unknown key 'train.epoch'"
[ ! -e ws ] || fail "a refused init left ws/"
printf 'k = 5\n[slurm.score]\ngpu = 1\n' >template.ini
expect_exit 2 "$quarry" init ws --pool pool.h5 --settings template.ini
expect_stderr "template.ini: line 3: unknown key 'slurm.score.gpu'"
expect_exit 2 "$quarry" init ws --pool pool.h5 --k many
expect_stderr "'many' is not a whole number"
expect_exit 2 "$quarry" init ws --pool nothing.h5
[ ! -e ws ] || fail "a refused init left ws/"

expect_exit 2 "$quarry" init ws --pool pool.h5 --strategy best
expect_stderr "command line: strategy=best: strategy: unknown strategy 'best'"
expect_exit 2 "$quarry" init ws --pool pool.h5 --set formats=label-studio,pdf
expect_stderr "formats:"
[ ! -e ws ] || fail "a refused init left ws/"
expect_exit 0 "$quarry" init ws --pool pool.h5 --k 5
expect_exit 2 "$quarry" init ws --pool pool.h5
expect_stderr "is already a quarry workspace"
echo "colour = blue" >>ws/quarry.ini
expect_exit 2 "$quarry" status ws
expect_stderr "unknown key 'slurm.export.colour'"
expect_exit 2 "$quarry" cycle ws
expect_stderr "unknown key 'slurm.export.colour'"
expect_stderr "quarry.ini: line"
[ ! -e ws/rounds/0001 ] || fail "a refused cycle started round 1"
sed -i '/^colour/d' ws/quarry.ini

# A stage of a round that never started, and stages whose input manifest is missing.
expect_exit 2 "$quarry" cycle ws --stage select --round 1
expect_stderr "ws/rounds/0001: folder: does not exist"
mkdir ws/rounds/0001
expect_exit 2 "$quarry" cycle ws --stage select --round 1
expect_stderr "ws/rounds/0001/scores.h5.manifest.json: complete: missing"
expect_exit 2 "$quarry" cycle ws --stage score --round 1
expect_stderr "model.pt.manifest.json: complete: missing"
expect_exit 2 "$quarry" cycle ws --stage fly
expect_stderr "unknown stage 'fly'"

# Slurm absent when submit is asked (sbatch not on PATH); --dry-run needs no Slurm.
expect_exit 2 env PATH=/nonexistent "$quarry" submit ws
expect_stderr "Slurm is not available here: sbatch is not on PATH"
expect_exit 0 env PATH=/nonexistent "$quarry" submit ws --dry-run
expect_stdout "ingest_job=\$(sbatch --parsable"
echo "ok"
