#!/usr/bin/python3
"""Checks, in headless Chromium, that a round report's pre-labels are drawn where the detections
are: for every thumbnail of the batch (in the selection's pick order), the rendered position of
each box (<rect class="box">) and keypoint dot relative to the rendered image equals the scores
file's detections at or above the export's pre-label threshold, one per object (a box that
overlaps a more confident one of the item by IoU >= 0.7 is not drawn), scaled from the stored image to
the thumbnail as rendered, and the skeleton has one line per pair and drawn detection. The page
is probed by a copy with a script added (the report itself has none); Chromium's --dump-dom gives
back what the script measured.

    overlay_check.py PAGE.html POOL.h5 SCORES.h5 SELECTION.h5 EXPORT_MANIFEST.json [--expect-mismatch]

With --expect-mismatch (the negative control) it succeeds only when the drawing is found wrong.
"""
import html
import json
import re
import subprocess
import sys

import h5py
import numpy as np

PROBE = """<script>
const out = [];
for (const t of document.querySelectorAll('.thumb.overlaid')) {
  const img = t.querySelector('img').getBoundingClientRect();
  const at = b => [b.left - img.left, b.top - img.top, b.width, b.height];
  out.push({id: t.dataset.id, width: img.width, height: img.height,
            boxes: [...t.querySelectorAll('rect.box')].map(r => at(r.getBoundingClientRect())),
            points: [...t.querySelectorAll('circle.keypoint')].map(c => {
              const b = c.getBoundingClientRect();
              return [(b.left + b.right) / 2 - img.left, (b.top + b.bottom) / 2 - img.top]; }),
            bones: t.querySelectorAll('line.bone').length});
}
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""
TOLERANCE = 0.5  # thumbnail pixels: the SVG keeps one decimal


def rendered(page):
    probe_page = page[:-len(".html")] + ".probe.html"
    text = open(page, encoding="utf-8").read()
    open(probe_page, "w", encoding="utf-8").write(text.replace("</body>", PROBE + "</body>"))
    run = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--window-size=1200,2400", "--dump-dom",
         "file://" + probe_page], capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, re.S)
    if not found:
        sys.exit(f"FAIL: chromium gave no probe result (exit {run.returncode}):\n{run.stderr[-2000:]}")
    return json.loads(html.unescape(found.group(1)))


def iou(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(w, 0.0) * max(h, 0.0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def one_per_object(candidates, boxes, conf):
    """The candidates a more confident kept box does not overlap by IoU >= 0.7, in file order."""
    kept = []
    for d in sorted(candidates, key=lambda d: -conf[d]):  # stable: ties keep file order
        if all(iou(boxes[d].astype(float), boxes[j].astype(float)) < 0.7 for j in kept):
            kept.append(d)
    return sorted(kept)


def expected(pool, scores, selection, threshold):
    """{id: (boxes [D,4], keypoints [D,K,2])} of the detections drawn, and the stored size."""
    with h5py.File(pool, "r") as p, h5py.File(scores, "r") as s, h5py.File(selection, "r") as sel:
        _, _, height, width = p["images"].shape
        skeleton = p.attrs.get("skeleton", np.zeros((0, 2)))
        k = len(p.attrs.get("keypoint_names", []))
        row_of = {int(i): r for r, i in enumerate(s["ids"][()])}
        off, boxes = s["detections/offsets"][()], s["detections/boxes"][()]
        conf = s["detections/confidence"][()].astype(np.float32)
        points = s["detections/keypoints"][()] if k else None
        want = {}
        for item in sel["ids"][()]:
            row = row_of[int(item)]
            keep = one_per_object(
                [d for d in range(off[row], off[row + 1]) if conf[d] >= np.float32(threshold)],
                boxes, conf)
            want[int(item)] = (boxes[keep], points[keep][:, :, :2] if k else np.zeros((len(keep), 0, 2)))
        order = [int(i) for i in sel["ids"][()]]
    return want, order, (width, height), len(skeleton)


def problems(seen, want, order, size, bones):
    found = []
    if [int(t["id"]) for t in seen] != order[:len(seen)] or not seen:
        found.append(f"thumbnails {[t['id'] for t in seen]} are not the batch's first in pick order")
    compared = 0
    for t in seen:
        scale_x, scale_y = t["width"] / size[0], t["height"] / size[1]
        boxes, points = want[int(t["id"])]
        if len(t["boxes"]) != len(boxes):
            found.append(f"item {t['id']}: {len(t['boxes'])} boxes drawn, {len(boxes)} pre-labels")
            continue
        for got, (x0, y0, x1, y1) in zip(t["boxes"], boxes):
            should = [x0 * scale_x, y0 * scale_y, (x1 - x0) * scale_x, (y1 - y0) * scale_y]
            if max(abs(a - b) for a, b in zip(got, should)) > TOLERANCE:
                found.append(f"item {t['id']}: box drawn at {got}, the detection is at {should}")
            compared += 1
        flat = points.reshape(-1, 2)
        if len(t["points"]) != len(flat) or t["bones"] != bones * len(boxes):
            found.append(f"item {t['id']}: {len(t['points'])} dots and {t['bones']} lines drawn")
            continue
        for got, (x, y) in zip(t["points"], flat):
            if abs(got[0] - x * scale_x) > TOLERANCE or abs(got[1] - y * scale_y) > TOLERANCE:
                found.append(f"item {t['id']}: keypoint drawn at {got}, it is at {(x * scale_x, y * scale_y)}")
    return found, compared


def main():
    page, pool, scores, selection, export_manifest = sys.argv[1:6]
    expect_mismatch = "--expect-mismatch" in sys.argv
    threshold = json.load(open(export_manifest))["settings"]["prelabel_min_confidence"]
    want, order, size, bones = expected(pool, scores, selection, threshold)
    seen = rendered(page)
    found, compared = problems(seen, want, order, size, bones)
    if expect_mismatch:
        if not found:
            sys.exit("FAIL: a misdrawn overlay passed: the position check is blind")
        print(f"ok: {len(found)} misdrawn pre-label(s) seen, first: {found[0]}")
        return
    if found:
        sys.exit("FAIL: pre-labels drawn away from the detections:\n" + "\n".join(found[:10]))
    if compared < 10:
        sys.exit(f"FAIL: only {compared} boxes compared: the check proves too little")
    print(f"ok: {len(seen)} thumbnails, {compared} boxes and "
          f"{sum(len(t['points']) for t in seen)} keypoints where the detections are")


if __name__ == "__main__":
    main()
