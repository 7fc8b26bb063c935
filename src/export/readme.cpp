#include "export/readme.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace quarry::exporting {

namespace {

std::string section(Format format, const ExportBatch& batch, const FormatOptions& options) {
  const bool per_person = !batch.annotators.empty();
  switch (format) {
    case Format::label_studio:
      return fmt::format(
          "## Label Studio\n\n"
          "1. Create a project; under Settings > Labeling Interface > Code paste "
          "`label-studio/config.xml`.\n"
          "2. Serve the images: the task URLs are `{}images/<id>.png`. With the default "
          "local-files prefix, start Label Studio with\n"
          "   `LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true` and "
          "`LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=<the folder holding this export>`, and add "
          "a Local Files storage for this folder (or re-export with `--label-studio-prefix` "
          "pointing at where the images are served).\n"
          "3. Import `label-studio/tasks.json`{}. The model's guess is shown as a prediction: "
          "annotators correct it.\n"
          "4. Export the project as JSON and give the file to `quarry ingest --format "
          "label-studio`.\n\n"
          "Who answered: the standard JSON export names each person by user id "
          "(`completed_by: 2`), which quarry calls `label-studio:2`. To name people by email, "
          "so that ids of two servers never mix, save the server's user list (`GET /api/users`) "
          "as JSON and pass it as `--annotator-map` (workspace setting `annotator-map`), or "
          "export a snapshot with the option `annotations__completed_by: {{\"only_id\": false}}`, "
          "whose `completed_by` carries the email.\n\n",
          options.label_studio_prefix,
          per_person ? " (or, one project per person, `label-studio/annotators/<name>.json`)" : "");
    case Format::cvat:
      return fmt::format(
          "## CVAT\n\n"
          "1. Create a task with the tag labels of `cvat/annotations.xml` (one per class) and "
          "upload the images{}.\n"
          "2. Actions > Upload annotations > \"CVAT 1.1\": `cvat/annotations.xml`{}. The "
          "model's guess appears as an automatic tag.\n"
          "3. Export the annotations as \"CVAT for images 1.1\" (one file per annotator job) "
          "for `quarry ingest --format cvat`.\n\n",
          per_person ? " (one task per person: the files listed in `cvat/annotators/<name>.txt`)"
                     : " (`images/`)",
          per_person ? " (per person: `cvat/annotators/<name>.xml`)" : "");
    case Format::coco:
      return "## COCO\n\n"
             "`coco/annotations.json`: images (`file_name` relative to this folder, `quarry_id` "
             "the item id), categories (ids from 1) and one whole-image annotation per item "
             "with the model's prediction (`score` its probability). Load it in any COCO-based "
             "tool (FiftyOne, CVAT \"COCO 1.0\", pycocotools).\n\n";
    case Format::sagemaker:
      return fmt::format(
          "## SageMaker Ground Truth\n\n"
          "1. Upload `images/` so that `{}images/<id>.png` exists (source-ref is that URI; "
          "re-export with `--sagemaker-prefix s3://bucket/path/` to change it).\n"
          "2. Create an image-classification labeling job with input manifest "
          "`sagemaker/manifest.jsonl`{} and label categories "
          "`sagemaker/label-categories.json`.\n"
          "3. Give the job's output manifest to `quarry ingest --format sagemaker`.\n\n",
          options.sagemaker_prefix.empty() ? "<prefix>/" : options.sagemaker_prefix,
          per_person ? " (or one job per person: `sagemaker/annotators/<name>.jsonl`)" : "");
    case Format::csv:
      return "## CSV\n\n"
             "`csv/items.csv`: `id,file,predicted_class,probability,score,annotators` "
             "(annotators separated by `;`). Answers come back as `id,annotator,label` for "
             "`quarry ingest --format csv`.\n\n";
  }
  return {};
}

}  // namespace

std::string export_readme(const ExportBatch& batch, const std::vector<Format>& formats,
                          const FormatOptions& options) {
  std::string text = fmt::format(
      "# Items to label\n\n"
      "{} items, chosen by quarry as the most useful to label next. `images/<id>.png` holds each "
      "item (<id> is quarry's item id: every task file carries it, so answers find their item "
      "without any lookup table). Classes: {}. Pre-labels come from model {}.\n\n",
      batch.tasks.size(), fmt::join(batch.classes, ", "), batch.model_version);
  if (!batch.annotators.empty()) {
    std::vector<std::size_t> load(batch.annotators.size(), 0);
    for (const ExportTask& task : batch.tasks)
      for (const std::uint32_t a : task.annotators) ++load[a];
    const std::size_t per_item = batch.tasks.empty() ? 0 : batch.tasks.front().annotators.size();
    text += fmt::format("Each item goes to {} of these annotators:", per_item);
    for (std::size_t a = 0; a < load.size(); ++a)
      text += fmt::format(" {} ({} items){}", batch.annotators[a], load[a],
                          a + 1 < load.size() ? "," : ".\n\n");
  }
  for (const Format format : formats) text += section(format, batch, options);
  text +=
      "The folder's manifest (`<folder>.manifest.json`, beside it) lists every file with its "
      "sha256.\n";
  return text;
}

}  // namespace quarry::exporting
