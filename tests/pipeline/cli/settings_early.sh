#!/usr/bin/env bash
# Every quarry.ini value of every stage is checked before a round starts (cycle) or is queued
# (submit, --dry-run too): exit 2 with "quarry.ini: line N: key: problem", and the workspace is
# left exactly as it was (no round folder content, no ledger change, no lock).
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 600 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --k 20 --seed-labels 20 --set train.epochs=1 >/dev/null
cp ws/quarry.ini good.ini

# set_key SECTION KEY VALUE: sets KEY of [SECTION] ("" for the top) in ws/quarry.ini, from the
# good file, and leaves in $line the line it is on.
set_key() {
  awk -v section="$1" -v key="$2" -v value="$3" '
    /^\[/ { current = substr($0, 2, length($0) - 2) }
    !/^\[/ && !/^#/ && current == section && $1 == key { $0 = key " = " value }
    { print }' good.ini >ws/quarry.ini
  line=$(awk -v section="$1" -v key="$2" '
    /^\[/ { current = substr($0, 2, length($0) - 2) }
    !/^\[/ && !/^#/ && current == section && $1 == key { print NR }' ws/quarry.ini)
  [ -n "$line" ] || fail "quarry.ini has no key $2 in [$1]"
}

snapshot() { (cd ws && find . -path ./quarry.ini -prune -o -print0 | sort -z | xargs -0 ls -ld --time-style=+%s.%N); }
before=$(snapshot)

# refused SECTION KEY VALUE PROBLEM...: cycle refuses the value before anything runs.
refused() {
  local section=$1 key=$2 value=$3 full
  shift 3
  set_key "$section" "$key" "$value"
  full=${section:+$section.}$key
  expect_exit 2 "$quarry" cycle ws
  expect_stderr "quarry.ini: line $line: $full: "
  for problem in "$@"; do expect_stderr "$problem"; done
  [ "$(snapshot)" = "$before" ] || fail "a cycle refused for $full = $value changed the workspace"
}

refused "" gold-rate 5 "5 is not a fraction between 0 and 1"
refused "" gold-rate -0.5 "is not a fraction between 0 and 1"
refused "" annotators ../../etc/passwd "'../../etc/passwd' is not a usable annotator name"
refused "" annotators ann,bob,ann "annotator 'ann' is named twice"
refused "" annotators-per-item 2 "needs annotators to assign"
refused "" annotators-per-item 0 "must be at least 1"
refused "" k 20x "'20x' is not a whole number"
refused "" k -3 "'-3' is not a whole number >= 0"
refused "" k 0 "must be at least 1"
refused "" seed -1 "'-1' is not a whole number >= 0"
refused "" strategy best "unknown strategy 'best'"
refused "" acquisition guess "unknown acquisition 'guess'"
refused "" acquisition bald "bald needs Monte-Carlo dropout"
refused "" formats label-studio,pdf "pdf"
refused "" consensus vote "vote"
refused "" label-studio-prefix https://ls.example.org/q "ends with neither / nor ="
refused "" sagemaker-prefix s3://bucket/quarry "does not end with /"
refused "" arch resnet "unknown architecture 'resnet'"
refused "" min-confidence 1.5 "1.5 is not a fraction between 0 and 1"
refused train epochs 0 "must be at least 1"
refused train lr -0.1 "must be positive"
refused train lr fast "'fast' is not a number"
refused score batch 0 "must be at least 1"
refused score mc-samples 1 "must be 0 (off) or at least 2"
refused slurm mpi-io mpich "unknown MPI-IO component 'mpich'"
refused slurm.score time 2h "'2h' is not a Slurm time limit"
refused slurm.train mem lots "'lots' is not a Slurm memory size"

# More annotators per item than annotators: two keys, the per-item count is the one named.
sed 's/^annotators = .*/annotators = ann,bob/; s/^annotators-per-item = .*/annotators-per-item = 3/' \
  good.ini >ws/quarry.ini
expect_exit 2 "$quarry" cycle ws
expect_stderr "quarry.ini: line $(grep -n '^annotators-per-item' ws/quarry.ini | cut -d: -f1): annotators-per-item: 3 annotators per item needs at least 3 annotators"
[ "$(snapshot)" = "$before" ] || fail "a refused cycle changed the workspace"

# submit, --dry-run included, refuses the same values before planning any job.
set_key "" k 20x
expect_exit 2 env PATH=/nonexistent "$quarry" submit ws --dry-run
expect_stderr "quarry.ini: line $line: k: '20x' is not a whole number"
set_key "" gold-rate 5
expect_exit 2 env PATH=/nonexistent "$quarry" submit ws --dry-run
expect_stderr "quarry.ini: line $line: gold-rate: 5 is not a fraction between 0 and 1"
[ "$(snapshot)" = "$before" ] || fail "a refused submit changed the workspace"

# The good file passes: the refusals above came from the values alone.
cp good.ini ws/quarry.ini
expect_exit 0 env PATH=/nonexistent "$quarry" submit ws --dry-run
echo "ok"
