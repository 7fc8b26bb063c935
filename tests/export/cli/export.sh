# quarry export end to end: every format written, parsed back by Python's json, xml and csv
# modules, images equal to the pool's pixels (h5py), and the same result under mpirun.
source "$(dirname "$0")/../../support/lib.bash"
fixture=${QUARRY_EXPORT_FIXTURE:?the fixture maker (quarry_export_fixture)}

"$fixture" make . 500 1x28x28 10 40
expect_exit 0 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format label-studio,cvat,coco,sagemaker,csv --out round1 --annotators ann,bob,cy \
  --annotators-per-item 2 --sagemaker-prefix s3://bucket/round1/
expect_stderr "export: 40 tasks (40 selected, 0 for adjudication, 0 gold)"
[ -f round1.manifest.json ] || fail "no manifest beside the export"

/usr/bin/python3 - <<'PY'
import csv, h5py, json, xml.etree.ElementTree as ET, zlib, struct
sel = [int(i) for i in h5py.File("selection.h5")["ids"][:]]
pool = h5py.File("pool.h5")
classes = [c.decode() if isinstance(c, bytes) else c for c in pool.attrs["classes"]]
row = {int(i): r for r, i in enumerate(pool["ids"][:])}
scores = h5py.File("scores.h5")
pred = scores["pred"][:]

def png_pixels(path):  # 8-bit gray, no interlace: IDAT inflated, filter bytes undone
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color == 0, (depth, color)
        if kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, out, prev = zlib.decompress(idat), [], [0] * w
    for y in range(h):
        f, line = raw[y * (w + 1)], list(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b, c = prev[x], prev[x - 1] if x else 0
            p = a + b - c
            pred_ = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else (b if abs(p - b) <= abs(p - c) else c)
            line[x] = (line[x] + [0, a, b, (a + b) // 2, pred_][f]) & 255
        out += line
        prev = line
    return out

tasks = json.load(open("round1/label-studio/tasks.json"))
assert [t["data"]["quarry_id"] for t in tasks] == sel
for t in tasks:
    i = t["data"]["quarry_id"]
    assert t["data"]["image"] == f"/data/local-files/?d=round1/images/{i}.png", t["data"]
    assert t["predictions"][0]["result"][0]["value"]["choices"] == [classes[pred[row[i]]]]
    assert png_pixels(f"round1/images/{i}.png") == list(pool["images"][row[i]].reshape(-1))

root = ET.parse("round1/cvat/annotations.xml").getroot()
assert [l.find("name").text for l in root.find("meta/task/labels")] == classes
images = root.findall("image")
assert [im.get("name") for im in images] == [f"images/{i}.png" for i in sel]
assert all(im.find("tag").get("label") == classes[pred[row[i]]] for im, i in zip(images, sel))

coco = json.load(open("round1/coco/annotations/instances_default.json"))
assert [im["quarry_id"] for im in coco["images"]] == sel
assert all(a["iscrowd"] == 0 and a["segmentation"] == [[0, 0, 28, 0, 28, 28, 0, 28]] and a["area"] == 784
           for a in coco["annotations"])
assert all(open(f"round1/coco/images/default/{i}.png", "rb").read() == open(f"round1/images/{i}.png", "rb").read()
           for i in sel)

lines = [json.loads(l) for l in open("round1/sagemaker/manifest.jsonl")]
assert [l["quarry-id"] for l in lines] == sel
assert lines[0]["source-ref"] == f"s3://bucket/round1/images/{sel[0]}.png"

rows = list(csv.DictReader(open("round1/csv/items.csv")))
assert [int(r["id"]) for r in rows] == sel
assert all(len(r["annotators"].split(";")) == 2 for r in rows)
load = {}
for r in rows:
    for a in r["annotators"].split(";"):
        load[a] = load.get(a, 0) + 1
assert sorted(load.values()) in ([26, 27, 27], [27, 27, 26]) or max(load.values()) - min(load.values()) <= 1, load

manifest = json.load(open("round1.manifest.json"))
assert manifest["complete"] and manifest["settings"]["counts"]["tasks"] == 40
assert len([k for k in manifest["outputs"] if k.startswith("images/")]) == 40
PY

# A serial command under mpirun runs once, on rank 0, and writes the same files.
expect_exit 0 mpi 2 "$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format csv,label-studio --out round1-mpi
diff <(cut -d, -f1-5 round1/csv/items.csv) <(cut -d, -f1-5 round1-mpi/csv/items.csv) ||
  fail "the mpirun export differs"
diff -r round1/images round1-mpi/images || fail "the mpirun export's images differ"
[ "$(ls round1-mpi/images | wc -l)" = 40 ] || fail "mpirun export lacks images"
echo "export: ok"
