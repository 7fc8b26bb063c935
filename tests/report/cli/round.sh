# quarry report WORKSPACE: a round built by the real stages (ingest, train with evaluation,
# score, select) is reported as one self-contained HTML page, which headless Chromium renders
# without console errors into a screenshot that is not blank.
source "$(dirname "$0")/../../support/lib.bash"
export QUARRY_PROGRESS=off

"$quarry" pool synth --n 400 --shape 1x28x28 --classes 4 --out pool.h5 --seed 3 >/dev/null
"$quarry" pool synth --n 200 --shape 1x28x28 --classes 4 --out test.h5 --seed 3 --first-id 100000 >/dev/null
mkdir -p ws/rounds/0000 ws/inbox
echo "pool = $work/pool.h5" > ws/quarry.ini

# Three annotators answer the first 120 items from the pool's ground truth (one of them wrong on
# every fifth item), so the ingest has agreement and reliability to show.
/usr/bin/python3 - <<'PY'
import h5py
with h5py.File("pool.h5") as f:
    ids, labels = f["ids"][:120], f["labels"][:120]
with open("answers.csv", "w") as out:
    out.write("id,annotator,label\n")
    for i, (id_, label) in enumerate(zip(ids, labels)):
        for name in ("ann", "bob", "cy"):
            wrong = name == "cy" and i % 5 == 0
            out.write(f"{id_},{name},{(label + 1) % 4 if wrong else label}\n")
PY
"$quarry" ingest --annotations answers.csv --format csv --pool pool.h5 --labels ws/labels.h5 >/dev/null
"$quarry" model init --pool pool.h5 --arch small-cnn --out init.pt --seed 1 >/dev/null
r=ws/rounds/0000
"$quarry" train --pool pool.h5 --labels ws/labels.h5 --model init.pt --out $r/model.pt \
  --eval-pool test.h5 --epochs 1 --batch 32 >/dev/null
"$quarry" score --pool pool.h5 --model $r/model.pt --out $r/scores.h5 >/dev/null
"$quarry" select --scores $r/scores.h5 --k 40 --out $r/selection.h5 --labels ws/labels.h5 >/dev/null

expect_exit 0 "$quarry" report ws
expect_stdout "round 0000"
page=$r/report.html
[ -s $page ] || fail "no report written"
for section in "Score histogram" "Predicted-class mix" "Selected items" "Fleiss' kappa" \
               "Learning curve across rounds" ">bob<"; do
  grep -qF "$section" $page || fail "report lacks '$section'"
done
# Self-contained: no fetched scripts, styles or images (the SVG namespace is only a name).
! grep -E 'src="(https?:)?//|href="(https?:)?//|url\((https?:)?//|<script|<link' $page ||
  fail "the report loads something from elsewhere"
[ "$(grep -o 'data:image/png;base64' $page | wc -l)" = 40 ] || fail "expected 40 thumbnails"

# An existing report is kept unless --force; a round that does not exist is bad input.
expect_exit 2 "$quarry" report ws --round 0
expect_stderr "exists"
expect_exit 0 "$quarry" report ws --round 0 --force --out other.html
[ -s other.html ] || fail "--out was not written"
expect_exit 2 "$quarry" report ws --round 7
expect_stderr "round 7"

# The browser: what a person opens. Its learning curve has one point (one trained round): the
# axis check sees distinct ticks, whole label counts and accuracies inside [0, 1]. The broken
# page proves the console check can fail; the chart as it was drawn before (issue 15 item 9)
# proves the axis check can.
grep -q 'data-x-axis="count" data-y-axis="share"' $page || fail "the learning curve lost its axis kinds"
/usr/bin/python3 "$source_dir/tests/report/support/render_check.py" "$work/$page" "$work/shot.png"
cat > bad_axes.html <<'HTML'
<!DOCTYPE html><svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" data-x-axis="count" data-y-axis="share">
<text class="y-tick" x="9" y="90">0.58</text><text class="y-tick" x="9" y="10">1.58</text>
<text class="x-tick" x="50" y="99">200</text><text class="x-tick" x="90" y="99">200</text></svg>
HTML
/usr/bin/python3 "$source_dir/tests/report/support/render_check.py" "$work/bad_axes.html" "$work/bad.png" \
  --expect-axis-errors
printf '<!DOCTYPE html><p>x</p><script>no_such_function();</script>' > broken.html
/usr/bin/python3 "$source_dir/tests/report/support/render_check.py" "$work/broken.html" "$work/broken.png" \
  --expect-console-errors
echo "ok"
