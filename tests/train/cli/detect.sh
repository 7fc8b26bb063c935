# quarry train and eval on a keypoint pool: 1 and 2 ranks with the same global batch train the
# same model, eval gives identical JSON on 1, 2 and 3 ranks, --labels picks the items that train,
# resume continues from an epoch checkpoint, and bad input exits 2 with nothing written.
source "$(dirname "$0")/../../support/lib.bash"
py=/usr/bin/python3
export QUARRY_PROGRESS=off
write_pool() { $py "$source_dir/tests/train/support/write_detection_pool.py" "$@"; }

write_pool train.h5 --n 96 --seed 1
write_pool test.h5 --n 48 --seed 2 --first-id 1000
expect_exit 0 "$quarry" model init --pool train.h5 --arch centernet-small --seed 3 --out start.pt
# Without dropout, 1 and 2 ranks follow the same trajectory up to the order of float sums (with
# it, each rank draws its own masks): what makes a tight tolerance possible below.
$py -c "
import torch
m = torch.jit.load('start.pt')
m._c.setattr('dropout_p', 0.0)
m.save('nodrop.pt')"
common=(--pool train.h5 --model nodrop.pt --eval-pool test.h5 --batch 16 --lr 2e-3 --threads 1)

# --- 1 rank and 2 ranks with the same global batch reach the same loss and AP -----------------
final_loss() { sed -n 's/.*final loss \([0-9.]*\) ->.*/\1/p' "$work/stdout"; }
ap() { # AP@[.5:.95] on test.h5, from the model's training record
  $py -c "import json, sys, torch
print(json.loads(torch.jit.load(sys.argv[1]).quarry_training)['eval']['bbox']['stats_list'][0])" "$1"
}
expect_exit 0 mpi 1 "$quarry" train "${common[@]}" --epochs 3 --out one.pt
expect_stdout "96 labeled items"
one_loss=$(final_loss)
one_ap=$(ap one.pt)
expect_exit 0 mpi 2 "$quarry" train "${common[@]}" --epochs 3 --out two.pt
expect_stdout "on 2 rank(s)"
two_loss=$(final_loss)
two_ap=$(ap two.pt)
echo "final loss: 1 rank $one_loss, 2 ranks $two_loss; AP: $one_ap, $two_ap"
# The tolerance: float sums in another order drift the two runs apart by far less than 1%; ranks
# that stepped on their own half of each batch (a broken all-reduce) end several % apart
# (docs/train.md records the negative control).
awk -v a="$one_loss" -v b="$two_loss" -v p="$one_ap" -v q="$two_ap" 'BEGIN {
  d = (a - b) / a; if (d < 0) d = -d; e = p - q; if (e < 0) e = -e
  exit !(a > 0 && d < 0.01 && e < 0.02) }' ||
  fail "1 rank (loss $one_loss, AP $one_ap) and 2 ranks (loss $two_loss, AP $two_ap) differ"

# --- eval: identical JSON on 1, 2 and 3 ranks, equal to training's evaluation ------------------
for ranks in 1 2 3; do
  expect_exit 0 mpi $ranks "$quarry" eval --pool test.h5 --model two.pt --json --threads 1
  cp "$work/stdout" eval$ranks.json
done
cmp eval1.json eval2.json && cmp eval1.json eval3.json || fail "eval JSON differs across ranks"
$py - <<'PY' || fail "eval JSON lacks COCO's figures or disagrees with training's"
import json, torch
result = json.load(open("eval1.json"))
assert result["items"] == 48
boxes, points = result["bbox"], result["keypoints"]
assert len(boxes["stats_list"]) == 12 and len(points["stats_list"]) == 10
assert [c["name"] for c in boxes["per_category"]] == ["filled", "hollow"]
training = json.loads(torch.jit.load("two.pt").quarry_training)
assert training["eval"]["bbox"]["stats_list"] == boxes["stats_list"]
assert training["ledger_sha256"] == "" and training["labeled_items"] == 96
PY
expect_exit 0 mpi 1 "$quarry" eval --pool test.h5 --model two.pt --threads 1
expect_stdout "COCO evaluation (bbox)"
expect_stdout "COCO evaluation (keypoints)"

# --- --labels: the ledger's items train on their objects -------------------------------------
# The first 40 items' objects, drawn by one annotator as the CSV reader takes them (boxes; the
# keypoints stay unlabelled), become the ledger.
/usr/bin/python3 - <<'PY'
import h5py
pool = h5py.File("train.h5", "r")
classes = list(pool.attrs["classes"])
offsets, boxes = pool["objects/offsets"][()], pool["objects/boxes"][()]
labels = pool["objects/labels"][()]
with open("answers.csv", "w") as out:
    out.write("id,annotator,class,x0,y0,x1,y1\n")
    for row, item in enumerate(pool["ids"][:40]):
        for o in range(offsets[row], offsets[row + 1]):
            x0, y0, x1, y1 = boxes[o]
            out.write(f"{item},oracle,{classes[labels[o]]},{x0},{y0},{x1},{y1}\n")
PY
expect_exit 0 "$quarry" ingest --annotations answers.csv --format csv --pool train.h5 \
  --labels ledger.h5
expect_exit 0 "$quarry" train --pool train.h5 --labels ledger.h5 --model start.pt --epochs 1 \
  --batch 16 --threads 1 --out subset.pt
expect_stdout "40 labeled items"

# --- a kill after an epoch: --resume continues from the checkpoint ---------------------------
mpi 2 "$quarry" train "${common[@]}" --epochs 6 --out "$work/killed.pt" >killed.log 2>&1 &
kill_training "$work/killed.pt" 1-5
done_epochs=$killed_epochs
[ "$done_epochs" -ge 1 ] && [ "$done_epochs" -lt 6 ] || fail "expected a half-done run, found $done_epochs epochs"
expect_exit 0 mpi 2 "$quarry" train "${common[@]}" --epochs 6 --out killed.pt --resume
expect_stderr "resuming at epoch $((done_epochs + 1)) of 6"
[ -s killed.pt ] && [ ! -e killed.pt.partial ] || fail "the resumed run did not finish cleanly"

# --- bad input: exit 2, nothing written -------------------------------------------------------
bad() { expect_bad_input bad.pt "$@"; }
# A model with the detection forward but no heads(): scored and evaluated, not trained. (From a
# file: torch.jit.script reads the class's source.)
cat >noheads.py <<'PY'
import torch
from typing import Dict
class NoHeads(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(1))
    def forward(self, x) -> Dict[str, torch.Tensor]:
        b = x.shape[0]
        return {"boxes": torch.zeros(b, 4, 4), "scores": torch.zeros(b, 4) + self.w,
                "labels": torch.zeros(b, 4, dtype=torch.long),
                "keypoints": torch.zeros(b, 4, 3, 3), "embedding": torch.zeros(b, 8)}
torch.jit.script(NoHeads()).save("noheads.pt")
PY
$py noheads.py
bad "noheads.pt: heads(): is missing: quarry can score and evaluate" \
  "$quarry" train --pool train.h5 --model noheads.pt --out bad.pt --threads 1
expect_exit 0 "$quarry" eval --pool test.h5 --model noheads.pt --threads 1
# Classification pools still need the ledger.
expect_exit 0 "$quarry" pool synth --n 64 --shape 1x28x28 --classes 3 --out classify.h5
expect_exit 0 "$quarry" model init --pool classify.h5 --out classify.pt
bad "--labels is required" "$quarry" train --pool classify.h5 --model classify.pt --out bad.pt
# A detection pool without objects.
$py - <<'PY'
import h5py
with h5py.File("train.h5") as src, h5py.File("bare.h5", "w") as f:
    for key in ("quarry_format", "classes", "task", "keypoint_names", "flip_pairs"):
        f.attrs[key] = src.attrs[key]
    f["images"], f["ids"] = src["images"][:], src["ids"][:]
PY
bad "bare.h5: /objects: is missing" "$quarry" train --pool bare.h5 --model start.pt --out bad.pt
expect_exit 2 "$quarry" eval --pool bare.h5 --model start.pt
expect_stderr "bare.h5: /objects: is missing"
