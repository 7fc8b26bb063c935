# The COCO export as other readers see it: tests/export/support/coco_check.py follows the
# cocoapi's rules (unique ids that resolve, boxes inside their image, annToMask's rasterisation of
# every polygon, area consistent with polygon and mask) and datumaro's layout
# (annotations/instances_default.json, images under images/default/). Each rule is shown to catch
# the fault it guards against on a broken copy, the faults of earlier exports among them.
source "$(dirname "$0")/../../support/lib.bash"
fixture=${QUARRY_EXPORT_FIXTURE:?the fixture maker (quarry_export_fixture)}
check() { /usr/bin/python3 "$source_dir/tests/export/support/coco_check.py" "$@"; }

check --self-test >/dev/null || fail "coco_check's rasterisation differs from pycocotools'"
"$fixture" make . 300 1x28x28 5 12
expect_exit 0 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format coco --out round1
expect_exit 0 check round1/coco
expect_stdout "1 subset(s), 12 images, 12 annotations"
# The subset's images are the export's images, linked, not copied.
[ "$(stat -c %h round1/coco/images/default/"$(ls round1/images | head -1)")" = 2 ] ||
  fail "coco/images/default/ does not link to images/"
grep -q '"coco/annotations/instances_default.json"' round1.manifest.json ||
  fail "the manifest does not list the COCO file"

# broken EDIT PROBLEM: a copy of coco/ changed by the Python statement EDIT (on `doc`, the
# parsed annotations file; `root`, the copy) fails the check, naming PROBLEM.
broken() {
  rm -rf broken && cp -a round1/coco broken
  /usr/bin/python3 - "$1" <<'PY'
import json, os, sys
root, path = "broken", "broken/annotations/instances_default.json"
doc = json.load(open(path))
exec(sys.argv[1])
if os.path.exists(path):
    json.dump(doc, open(path, "w"))
PY
  expect_exit 1 check broken
  expect_stderr "$2"
}
# The faults of the first COCO export: annToMask failed on segmentation [] (pycocotools'
# frPyObjects raises IndexError), and datumaro found no annotations/instances_<subset>.json.
broken 'doc["annotations"][3]["segmentation"] = []' "raises IndexError"
broken 'os.rename(path, root + "/annotations.json"); path = "gone"' "datumaro finds none"
# The other rules.
broken 'os.remove(root + "/images/default/" + doc["images"][5]["file_name"])' "does not exist (datumaro's layout)"
broken 'doc["annotations"][1]["id"] = doc["annotations"][0]["id"]' "annotation ids repeat"
broken 'doc["images"][1]["id"] = doc["images"][0]["id"]' "image ids repeat"
broken 'doc["annotations"][2]["image_id"] = 999' "image_id 999 names no image"
broken 'doc["annotations"][2]["category_id"] = 0' "category_id 0 names no category"
broken 'doc["annotations"][4]["bbox"] = [0, 0, 29, 28]' "is not a box inside the 28x28 image"
broken 'doc["annotations"][4]["area"] = 100.0' "area 100.0 disagrees"
broken 'doc["annotations"][6]["segmentation"] = [[0, 0, 14, 0, 14, 28, 0, 28]]' "the mask's box [0, 0, 14, 28] is not bbox"
broken 'doc["annotations"][6]["segmentation"] = [[1, 2, 3, 4]]' "frPyObjects reads boxes"
broken 'doc["images"][0]["width"] = 32' "is (28, 28), not 32x28"
echo "coco readers: ok"
