#!/usr/bin/env bash
# Rewrites the corpus seeds that quarry itself writes (ledger, scores, selection, and each
# format's export answered as the tool would) with the real binary: tests/fuzz/refresh_corpus.sh
# [QUARRY]. The other seeds (the ingest tests' examples, shared/repro's reproductions) are kept.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
quarry=${1:-$root/build/bin/quarry}
real=$(mktemp -d /tmp/quarry-corpus.XXXXXX)
trap 'rm -rf "$real"' EXIT
"$root/tools/campaign" "$quarry" --real-files "$real"
corpus=$root/tests/fuzz/corpus
cp "$real/labels.h5" "$corpus/ledger/real-two-ingests.h5"
cp "$real/scores.h5" "$corpus/scores/real.h5"
cp "$real/selection.h5" "$corpus/selection/real.h5"
cp "$real/ls.json" "$corpus/label_studio/real-export-answered.json"
cp "$real/export/label-studio/tasks.json" "$corpus/label_studio/real-export-tasks.json"
cp "$real/cvat.xml" "$corpus/cvat/real-export-answered.xml"
cp "$real/export/cvat/annotations.xml" "$corpus/cvat/real-export-prelabels.xml"
cp "$real/gt.manifest" "$corpus/sagemaker/real-export-answered.manifest"
cp "$real/export/sagemaker/manifest.jsonl" "$corpus/sagemaker/real-export-input.manifest"
cp "$real/answers.csv" "$corpus/csv/real-answers.csv"
cp "$real/export/csv/items.csv" "$corpus/csv/real-export-items.csv"
echo "refreshed the real-file seeds in $corpus"
