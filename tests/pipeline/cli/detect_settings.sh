#!/usr/bin/env bash
# The settings templates of detection and keypoint workspaces (configs/detect.ini,
# configs/keypoints.ini): quarry init accepts each on a pool of its task and writes its values
# into quarry.ini, submit --dry-run plans the round from them; a template of the other kind of
# model is refused on a classify pool, naming the template's line.
source "$(dirname "$0")/../../support/lib.bash"
configs=$source_dir/configs

"$quarry" pool synth --task detect --n 40 --shape 1x64x64 --out scenes.h5 >/dev/null
"$quarry" pool synth --task keypoints --n 40 --shape 1x64x64 --out heads.h5 >/dev/null
"$quarry" pool synth --n 40 --shape 1x28x28 --classes 3 --out classes.h5 >/dev/null

expect_exit 0 "$quarry" init det --pool scenes.h5 --settings "$configs/detect.ini"
expect_stdout "task detect), arch centernet-small, k 500"
for line in "acquisition = det_margin_sum" "annotators-per-item = 2" \
  "prelabel-min-confidence = 0.3" "epochs = 20" "batch = 128" "items-per-node = 500000"; do
  grep -qx "$line" det/quarry.ini || fail "det/quarry.ini lacks '$line'"
done
expect_exit 0 "$quarry" submit det --dry-run
expect_stdout "--job-name=quarry-score-0001"

expect_exit 0 "$quarry" init kp --pool heads.h5 --settings "$configs/keypoints.ini"
expect_stdout "task keypoints), arch centernet-small, k 300"
grep -qx "acquisition = det_keypoint_mean" kp/quarry.ini || fail "kp/quarry.ini lacks its acquisition"
grep -qx "task = keypoints" kp/quarry.ini || fail "kp/quarry.ini lacks its task"

# The keypoint template's acquisition does not apply to boxes alone, nor a detector to classes.
expect_exit 2 "$quarry" init bad --pool scenes.h5 --settings "$configs/keypoints.ini"
expect_stderr "keypoints.ini: line"
expect_stderr "det_keypoint_mean does not apply to a pool whose task is detect"
expect_exit 2 "$quarry" init bad --pool classes.h5 --settings "$configs/detect.ini"
expect_stderr "detect.ini: line"
expect_stderr "centernet-small is a detector"
[ ! -e bad ] || fail "a refused init left a workspace"
echo "ok"
