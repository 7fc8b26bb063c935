# A read-only output folder is the user's to fix, not a bug: every command that creates an
# output exits 2 naming the path that cannot be created and why, before any work, and leaves
# nothing behind. The folder is a read-only tmpfs (chmod does not stop root; a read-only mount
# does); where mounting is refused the test is skipped (exit 77).
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off
py=/usr/bin/python3

mkdir ro
mount -t tmpfs -o ro,size=1m tmpfs ro 2>/dev/null || { echo "skipped: cannot mount a tmpfs"; exit 77; }
mounts=("$work/ro")
trap 'for m in "${mounts[@]}"; do umount "$m"; done; rm -rf "$work"' EXIT

# A seed round gives every command its inputs: pool, model, scores, selection, export, ledger.
"$quarry" pool synth --n 600 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null
"$quarry" init ws --pool pool.h5 --k 16 --seed-labels 16 --set formats=csv --set arch=mlp \
  --set train.epochs=1 --set score.threads=1 >/dev/null
seed=ws/rounds/0000
"$source_dir/tools/answer-export" $seed/export pool.h5 answers.csv >/dev/null
"$quarry" ingest --format csv --pool pool.h5 --labels ledger.h5 answers.csv >/dev/null
$py - <<'PY'
import gzip, struct
with gzip.open("images.gz", "wb") as f:
    f.write(struct.pack(">BBBBIII", 0, 0, 8, 3, 2, 2, 2) + bytes(8))
with gzip.open("labels.gz", "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 8, 1, 2) + bytes(2))
PY

# refused WHAT COMMAND...: exit 2, the message names the read-only folder and the reason.
refused() {
  local what=$1
  shift
  expect_exit 2 "$@"
  if [ "$what" = init ]; then
    expect_stderr "cannot create directories: Read-only file system [$work/ro/ws]"
  else
    expect_stderr "cannot create files in ro: Read-only file system"
  fi
  grep -q "internal error" "$work/stderr" && fail "$what: reported as an internal error"
  [ -z "$(ls -A ro)" ] || fail "$what left files in the read-only folder"
}

refused "pool synth" "$quarry" pool synth --n 10 --shape 1x8x8 --classes 3 --out ro/p.h5
refused "pool import" "$quarry" pool import --format idx --input images.gz --labels labels.gz \
  --out ro/p.h5
refused "model init" "$quarry" model init --pool pool.h5 --arch mlp --out ro/m.pt
refused train "$quarry" train --pool pool.h5 --labels ledger.h5 --model $seed/model.pt \
  --epochs 1 --out ro/m.pt
refused score "$quarry" score --pool pool.h5 --model $seed/model.pt --out ro/s.h5
refused select "$quarry" select --scores $seed/scores.h5 --k 5 --out ro/sel.h5
refused export "$quarry" export --selection $seed/selection.h5 --pool pool.h5 \
  --scores $seed/scores.h5 --out ro/export
refused ingest "$quarry" ingest --format csv --pool pool.h5 --labels ro/ledger.h5 answers.csv
refused init "$quarry" init ro/ws --pool pool.h5
refused report "$quarry" report ws --round 0 --out ro/report.html
refused simulate "$quarry" simulate --pool pool.h5 --test-pool pool.h5 --rounds 1 --out ro/sim

# A cycle whose round folder cannot be written: refused before any stage runs.
mkdir ws/rounds/0001
mount -t tmpfs -o ro,size=1m tmpfs ws/rounds/0001
mounts+=("$work/ws/rounds/0001")
expect_exit 2 "$quarry" cycle ws
expect_stderr "ws/rounds/0001: Read-only file system"
grep -q "internal error" "$work/stderr" && fail "cycle: reported as an internal error"
echo "ok"
