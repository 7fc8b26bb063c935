# The shared convention, end to end: quarry export writes tasks for every tool, simulated
# annotators fill them in the shape each tool exports, quarry ingest reads them back, and the
# next export puts the items ingest could not resolve first.
source "$(dirname "$0")/../../support/lib.bash"

"$quarry" pool synth --n 200 --shape 1x8x8 --classes 3 --out pool.h5 >/dev/null
"$quarry" model init --pool pool.h5 --arch mlp --out model.pt >/dev/null
"$quarry" score --pool pool.h5 --model model.pt --out scores.h5 >/dev/null 2>&1
"$quarry" select --scores scores.h5 --k 12 --out selection.h5 >/dev/null 2>&1
"$quarry" export --selection selection.h5 --pool pool.h5 --scores scores.h5 \
  --format label-studio,cvat,sagemaker,csv --out export --annotators ann,bob,cy \
  --annotators-per-item 3 >/dev/null 2>&1

# ann and bob answer the model's prediction; cy answers class0 whatever the image.
/usr/bin/python3 - <<'PY'
import csv, json, xml.etree.ElementTree as ET
answer = lambda who, predicted: "class0" if who == "cy" else predicted
people = ["ann", "bob", "cy"]
predicted = {int(r["id"]): r["predicted_class"] for r in csv.DictReader(open("export/csv/items.csv"))}

tasks = json.load(open("export/label-studio/tasks.json"))
for task in tasks:
    p = predicted[task["data"]["quarry_id"]]
    task["annotations"] = [
        {"id": 10 * task["id"] + n, "completed_by": {"id": n, "email": f"{who}@example.org"},
         "was_cancelled": False, "lead_time": 3.2,
         "result": [{"from_name": "label", "to_name": "image", "type": "choices",
                     "value": {"choices": [answer(who, p)]}}]}
        for n, who in enumerate(people, 1)]
json.dump(tasks, open("ls-export.json", "w"), indent=1)

for who in people:
    tree = ET.parse(f"export/cvat/annotators/{who}.xml")
    for image in tree.getroot().iter("image"):
        item = int(image.get("name").split("/")[-1][:-4])
        ET.SubElement(image, "tag", label=answer(who, predicted[item]), source="manual")
    tree.write(f"cvat-{who}.xml", encoding="utf-8", xml_declaration=True)

with open("gt-output.manifest", "w") as out:
    for line in open("export/sagemaker/manifest.jsonl"):
        row = json.loads(line)
        row["annotations"] = [
            {"workerId": f"private.{who}",
             "annotationData": {"content": json.dumps({"crowd-image-classifier": {"label": answer(who, predicted[row["quarry-id"]])}})}}
            for who in people]
        out.write(json.dumps(row) + "\n")

with open("answers.csv", "w") as out:
    out.write("id,annotator,label\n")
    for item, p in predicted.items():
        for who in people:
            out.write(f"{item},{who},{answer(who, p)}\n")
PY

expect_labels_are_predictions() {
  local ledger=$1
  /usr/bin/python3 - "$ledger" <<'PY' || fail "$ledger labels differ from ann and bob's answers"
import csv, subprocess, sys
predicted = {int(r["id"]): r["predicted_class"] for r in csv.DictReader(open("export/csv/items.csv"))}
def column(name):
    text = subprocess.run(["h5dump", "-d", name, "-y", "-w", "0", sys.argv[1]], capture_output=True, text=True).stdout
    body = text[text.index("DATA {") + 6:text.rindex("}")]
    return [int(v) for v in body.replace("}", "").replace(",", " ").split()]
ids, labels = column("/ids"), column("/labels")
assert sorted(ids) == sorted(predicted), (ids, sorted(predicted))
for i, l in zip(ids, labels):
    assert f"class{l}" == predicted[i], (i, l, predicted[i])
PY
}

expect_exit 0 "$quarry" ingest --format label-studio --pool pool.h5 --labels ls.h5 ls-export.json
expect_stdout "36 answers on 12 items from 3 annotators"
expect_labels_are_predictions ls.h5
expect_exit 0 "$quarry" ingest --format cvat --pool pool.h5 --labels cvat.h5 cvat-ann.xml cvat-bob.xml cvat-cy.xml
expect_labels_are_predictions cvat.h5
expect_exit 0 "$quarry" ingest --format sagemaker --pool pool.h5 --labels gt.h5 gt-output.manifest
expect_labels_are_predictions gt.h5
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels csv.h5 answers.csv
expect_labels_are_predictions csv.h5

# Majority vote cannot resolve the items where cy disagrees (2 of 3 < 0.7): they go back, first.
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels majority.h5 --consensus majority answers.csv
waiting=$(grep -o '([0-9]* waiting)' "$work/stdout" | tr -dc 0-9)
[ "$waiting" -gt 0 ] || fail "expected items for adjudication: $(cat "$work/stdout")"
"$quarry" select --scores scores.h5 --k 5 --labels majority.h5 --out next.h5 >/dev/null 2>&1
expect_exit 0 "$quarry" export --selection next.h5 --pool pool.h5 --scores scores.h5 --format csv \
  --out next --labels majority.h5 --gold-rate 1
expect_stderr "$waiting for adjudication"

# Gold items mixed in by export (next.gold.csv) score the annotators on ingest.
[ -s next.gold.csv ] || fail "export wrote no gold file"
/usr/bin/python3 - <<'PY'
import csv
gold = {int(r["id"]): r["label"] for r in csv.DictReader(open("next.gold.csv"))}
with open("next-answers.csv", "w") as out:
    out.write("id,annotator,label\n")
    for r in csv.DictReader(open("next/csv/items.csv")):
        item = int(r["id"])
        right = gold.get(item, r["predicted_class"])
        wrong = "class1" if right != "class1" else "class2"
        out.write(f"{item},ann,{right}\n{item},bob,{wrong if item in gold else right}\n")
PY
expect_exit 0 "$quarry" ingest --format csv --pool pool.h5 --labels majority.h5 --gold next.gold.csv next-answers.csv
grep -E '^ann +[0-9]+ +1\.000' "$work/stdout" >/dev/null || fail "ann should be right on gold: $(cat "$work/stdout")"
# bob answered the gold items right in round 1 and wrong now: both answers count.
grep -E '^bob +[0-9]+ +0\.500' "$work/stdout" >/dev/null || fail "bob should be half wrong on gold: $(cat "$work/stdout")"
echo "ok"
