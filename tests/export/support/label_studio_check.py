#!/usr/bin/python3
"""Loads one task of a quarry Label Studio export into Label Studio's own frontend (the npm
package @heartexlabs/label-studio, whose 1.4.0 release ships a built frontend) in headless
Chromium, and checks what the annotator would see: the task's image drew (naturalWidth > 0) at
the display width the labeling config asks for at least, and the model's pre-label is the one
choice selected; for pools with objects, that every pre-labelled box and keypoint became a region
of the frontend's prediction at the exported position, with its label, keypoints under their
box (parentID). Standard library only.

A local HTTP server stands in for Label Studio's backend: it serves the frontend's files, the page,
and /data/local-files/?d=PATH from DOCUMENT_ROOT, as Label Studio serves Local Files with
LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT (so the export's own image URLs are loaded unchanged).

    label_studio_check.py EXPORT DOCUMENT_ROOT FRONTEND_BUILD [--task N] [--min-width PX]
                          [--config FILE] [--tasks FILE]
--config and --tasks show other files than the export's (the test's negative controls); what
is expected still comes from the export.
Exit 0 with a summary line, 1 with the reasons it failed.
"""
import argparse
import html
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse


def page(config, task):
    return f"""<!doctype html><html><head><meta charset="utf-8">
<link href="/frontend/static/css/main.css" rel="stylesheet">
<script src="/frontend/static/js/main.js"></script></head><body>
<div id="label-studio"></div><pre id="quarry-result"></pre>
<script>
var ls = new LabelStudio("label-studio", {{
  config: {json.dumps(config)},
  task: {json.dumps(task)},
  interfaces: ["panel", "controls", "side-column", "predictions:menu", "annotations:menu"],
  user: {{id: 1, username: "annotator"}}
}});
// The regions of the entity shown (the prediction), as the frontend's store holds them.
function regions() {{
  try {{
    var store = ls.store.annotationStore;
    var shown = store.selected || store.predictions[0];
    return shown.regions.map(function (r) {{
      var labeling = r.labeling;
      var stage = r.parent || {{}};
      return {{type: r.type, x: r.x, y: r.y, width: r.width, height: r.height,
               stageWidth: stage.stageWidth, stageHeight: stage.stageHeight,
               id: String(r.id).replace(/#.*/, ""),
               parent: String(r.parentID || "").replace(/#.*/, ""),
               labels: labeling ? labeling.mainValue : null}};
    }});
  }} catch (error) {{
    return [];
  }}
}}
// Report once the image has loaded and the choices or regions are drawn (or after 10 s of page
// time).
var tries = 0;
function report() {{
  var image = document.querySelector('#label-studio img[src*="images/"]');
  var inputs = document.querySelectorAll('#label-studio input');
  var shown = regions();
  // Regions are placed on a stage sized to the drawn image: wait until it is.
  var placed = shown.length > 0 && image &&
               Math.abs(shown[0].stageHeight - image.getBoundingClientRect().height) < 1;
  // With regions, wait for their stage even when the config also has inputs (under load the
  // inputs are drawn well before the stage takes the image's size).
  var ready = image && image.complete && image.naturalWidth > 0 &&
              (shown.length > 0 ? placed : inputs.length > 0);
  if (!ready && ++tries < 50) return setTimeout(report, 200);
  var box = image ? image.getBoundingClientRect() : null;
  document.getElementById("quarry-result").textContent = JSON.stringify({{
    image: image ? {{src: image.getAttribute("src"), naturalWidth: image.naturalWidth,
                     naturalHeight: image.naturalHeight, width: box.width, height: box.height}}
                 : null,
    regions: regions(),
    choices: Array.from(inputs).map(function (input) {{
      var label = input.closest("label");
      return {{text: label ? label.textContent.trim() : "", checked: input.checked}};
    }})
  }});
}}
setTimeout(report, 200);
</script></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    routes = {}  # set by serve(): page bytes, frontend folder, document root

    def log_message(self, *args):
        pass

    def send(self, code, body=b"", kind="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, root, relative):
        path = os.path.realpath(os.path.join(root, relative))
        if not path.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(path):
            return self.send(404, b"not found")
        kinds = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}
        self.send(200, open(path, "rb").read(), kinds.get(os.path.splitext(path)[1], "text/plain"))

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/page.html":
            return self.send(200, self.routes["page"], "text/html")
        if url.path.startswith("/frontend/"):
            return self.send_file(self.routes["frontend"], url.path[len("/frontend/"):])
        if url.path == "/data/local-files/":  # Label Studio's Local Files view
            relative = urllib.parse.parse_qs(url.query).get("d", [""])[0]
            return self.send_file(self.routes["document_root"], relative)
        self.send(404, b"not found")


def render(config, task, frontend, document_root):
    Handler.routes = {"page": page(config, task).encode(), "frontend": frontend,
                      "document_root": document_root}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--window-size=1400,1000",
             "--virtual-time-budget=20000", "--dump-dom",
             f"http://127.0.0.1:{server.server_address[1]}/page.html"],
            capture_output=True, text=True, timeout=180)
    finally:
        server.shutdown()
    found = re.search(r'<pre id="quarry-result">(.*?)</pre>', run.stdout, re.S)
    if run.returncode != 0 or not found or not found.group(1):
        sys.exit(f"FAIL: no result from the page (chromium exit {run.returncode}):\n"
                 f"{run.stderr[-2000:]}")
    return json.loads(html.unescape(found.group(1)))


def display_width(config):
    """The width the config's <Image> asks for, in px (None: the tool's default)."""
    found = re.search(r'<Image\b[^>]*\bwidth="(\d+)px"', config)
    return int(found.group(1)) if found else None


def region_problems(results, regions, image):
    """Every exported box and keypoint must be a region of the frontend at its position, with its
    label, each keypoint under its box. The frontend holds a region's position in pixels of its
    stage, which must be the size of the drawn image: positions are compared, to 1e-6 px, with
    the exported percent of that size."""
    problems = []
    kinds = {"rectanglelabels": "rectangleregion", "keypointlabels": "keypointregion"}
    by_id = {r["id"]: r for r in regions}
    for region in regions[:1]:
        stage = (region["stageWidth"], region["stageHeight"])
        drawn = (round(image.get("width", 0)), round(image.get("height", 0)))
        if abs(stage[0] - drawn[0]) > 1 or abs(stage[1] - drawn[1]) > 1:
            problems.append(f"regions are placed on a {stage[0]}x{stage[1]} px stage over an "
                            f"image drawn {drawn[0]}x{drawn[1]} px")
    for result in results:
        region = by_id.get(result["id"])
        if region is None or region["type"] != kinds[result["type"]]:
            problems.append(f"{result['type']} {result['id']} is not a region of the prediction "
                            f"(regions: {[(r['id'], r['type']) for r in regions]})")
            continue
        value = result["value"]
        keys = ("x", "y", "width", "height") if result["type"] == "rectanglelabels" else ("x", "y")
        for key in keys:
            size = region["stageWidth"] if key in ("x", "width") else region["stageHeight"]
            if abs(region[key] - value[key] * size / 100) > 1e-6:
                problems.append(f"{result['id']}: {key} {region[key]} px, exported {value[key]}% "
                                f"of {size} px")
        if region["labels"] != value[result["type"]]:
            problems.append(f"{result['id']}: labels {region['labels']}, exported "
                            f"{value[result['type']]}")
        if region["parent"] != result.get("parentID", ""):
            problems.append(f"{result['id']}: parent '{region['parent']}', exported "
                            f"'{result.get('parentID', '')}'")
    if len(regions) != len(results):
        problems.append(f"{len(regions)} regions for {len(results)} exported results")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("document_root")
    parser.add_argument("frontend")
    parser.add_argument("--task", type=int, default=0)
    parser.add_argument("--config", help="labeling config (default: EXPORT/label-studio/config.xml)")
    parser.add_argument("--tasks", help="tasks file (default: EXPORT/label-studio/tasks.json)")
    parser.add_argument("--min-width", type=int, default=0,
                        help="the image must be shown at least this wide (px)")
    args = parser.parse_args()
    config = open(args.config or os.path.join(args.export, "label-studio/config.xml")).read()
    task = json.load(open(args.tasks or os.path.join(args.export, "label-studio/tasks.json")))[args.task]
    # What the export meant, read from its own files (--config and --tasks replace what is shown).
    meant = json.load(open(os.path.join(args.export, "label-studio/tasks.json")))[args.task]
    results = meant["predictions"][0]["result"]
    objects = any(r["type"] == "rectanglelabels" for r in results)
    predicted = None if objects else results[0]["value"]["choices"]
    meant_width = display_width(open(os.path.join(args.export, "label-studio/config.xml")).read())

    seen = render(config, task, args.frontend, args.document_root)
    problems = []
    image, choices = seen["image"], seen["choices"]
    if image is None or image["naturalWidth"] == 0:
        problems.append(f"the image {task['data']['image']} did not draw: {image}")
    else:
        wanted = max(meant_width or image["naturalWidth"], args.min_width)
        if image["width"] < wanted:
            problems.append(f"the image is shown {image['width']:.0f} px wide, under the {wanted} px "
                            f"the config asks for (natural width {image['naturalWidth']})")
    checked = [c["text"] for c in choices if c["checked"]]
    if objects:
        problems += region_problems(results, seen["regions"], image or {})
    elif checked != predicted:
        problems.append(f"selected choices {checked}, expected the pre-label {predicted} "
                        f"(choices shown: {[c['text'] for c in choices]})")
    if problems:
        print("\n".join("FAIL: " + p for p in problems), file=sys.stderr)
        sys.exit(1)
    print(f"label_studio_check: ok: {task['data']['image']} drawn {image['naturalWidth']}x"
          f"{image['naturalHeight']} -> {image['width']:.0f}x{image['height']:.0f} px, " +
          (f"{len(seen['regions'])} regions placed" if objects else f"pre-label {checked} selected"))


if __name__ == "__main__":
    main()
