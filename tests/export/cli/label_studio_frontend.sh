# A real quarry export in Label Studio's own frontend (npm @heartexlabs/label-studio 1.4.0, the
# last release with a built frontend) in headless Chromium: the task's image, served the way Label
# Studio serves Local Files, draws at the config's display width (280 px for 28x28 items, not
# 28), and the model's pre-label is the selected choice. The check is shown to fail on a config
# without the display width and on a task whose pre-label the frontend cannot place. Pools with
# objects: a keypoint pool's boxes and keypoints become the prediction's regions at the exported
# positions, keypoints under their box; shown to fail with a display width (Label Studio 1.4.0
# then sizes the stage 22 px high) and with keypoints tied to no box.
# Skipped (77) only where chromium or the package is missing; tools/setup installs both
# (tools/setup-label-studio: QUARRY_NPM_PREFIX, default /opt/quarry/npm).
source "$(dirname "$0")/../../support/lib.bash"
fixture=${QUARRY_EXPORT_FIXTURE:?the fixture maker (quarry_export_fixture)}
frontend=${QUARRY_NPM_PREFIX:-/opt/quarry/npm}/node_modules/@heartexlabs/label-studio/build
if ! command -v chromium >/dev/null; then
  echo "SKIP: no chromium (tools/setup installs it)"
  exit 77
fi
if [ ! -f "$frontend/static/js/main.js" ]; then
  echo "SKIP: no Label Studio frontend in $frontend (tools/setup-label-studio installs it)"
  exit 77
fi
check() { /usr/bin/python3 "$source_dir/tests/export/support/label_studio_check.py" "$@"; }

"$fixture" make . 300 1x28x28 5 6
expect_exit 0 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format label-studio --out round1
grep -q 'width="280px"' round1/label-studio/config.xml || fail "the config sets no display width"

# The document root is the folder holding the export, as the README says for a lone export.
for task in 0 5; do
  expect_exit 0 check round1 "$work" "$frontend" --task "$task" --min-width 256
  expect_stdout "drawn 28x28 -> 280x280 px"
done

# Negative controls: the earlier config (28 px wide), a pre-label on a control that does not exist.
sed 's/ width="[0-9]*px"//' round1/label-studio/config.xml >small.xml
expect_exit 1 check round1 "$work" "$frontend" --config small.xml --min-width 256
expect_stderr "shown 28 px wide, under the 280 px"
sed 's/"from_name": "label"/"from_name": "elsewhere"/' round1/label-studio/tasks.json >unplaced.json
expect_exit 1 check round1 "$work" "$frontend" --tasks unplaced.json
expect_stderr "selected choices [], expected the pre-label"
# A keypoint pool: synthetic heads (the pool's pixels) with the fixture's detections.
mkdir heads && cd heads
expect_exit 0 "$quarry" pool synth --task keypoints --n 10 --shape 1x32x32 --out pool.h5
"$fixture" detections pool.h5 scores.h5
"$fixture" selection selection.h5 3,0,7
expect_exit 0 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format label-studio --out round1
for task in 0 1 2; do
  expect_exit 0 check round1 "$work/heads" "$frontend" --task "$task"
  expect_stdout "regions placed"
done
# With a display width the stage is first 22 px high and then takes the image's size: the check
# waits for it (it once reported the first state, which looked like a frontend bug).
sed 's/ zoom="true"/ zoom="true" width="256px"/' round1/label-studio/config.xml >wide.xml
expect_exit 0 check round1 "$work/heads" "$frontend" --config wide.xml
expect_stdout "regions placed"
sed 's/"parentID": "box1"/"parentID": "box9"/' round1/label-studio/tasks.json >orphans.json
expect_exit 1 check round1 "$work/heads" "$frontend" --tasks orphans.json
expect_stderr "parent 'box9', exported 'box1'"
# Originals (a COCO import letterboxed into 32x32): the regions sit on each original image.
cd "$work" && mkdir originals && cd originals
/usr/bin/python3 "$source_dir/tests/export/support/coco_originals.py" .
expect_exit 0 "$quarry" pool import --format coco --input keypoints.json --images images \
  --size 32x32 --out pool.h5
"$fixture" detections pool.h5 scores.h5
"$fixture" selection selection.h5 7,12
expect_exit 0 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format label-studio --out round1 --prelabel-min-confidence 0.5
expect_exit 0 check round1 "$work/originals" "$frontend" --task 0
expect_stdout "drawn 120x60 -> 120x60 px, 4 regions placed"
expect_exit 0 check round1 "$work/originals" "$frontend" --task 1
expect_stdout "drawn 45x90 -> 45x90 px, 4 regions placed"
echo "label studio frontend: ok"
