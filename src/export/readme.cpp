#include "export/readme.hpp"

#include "export/object_writers.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace quarry::exporting {

namespace {

// How Label Studio serves the images at `prefix`: its Local Files storage, or whatever server
// the prefix names.
std::string serving_steps(const std::string& prefix) {
  const std::string local = kLocalFilesUrl;
  if (!prefix.starts_with(local))
    return " Serve this folder's `images/` there (re-export with another `--label-studio-prefix`, "
           "or set `label-studio-prefix` in a workspace, to change it).";
  const std::string folder = prefix.substr(local.size());
  // A workspace's exports are named from the workspace (rounds/NNNN/export/).
  const char* root = folder.starts_with("rounds/")
                         ? "the quarry workspace: one server shows every round's export"
                         : "the folder holding this export";
  return fmt::format(
      " Start Label Studio with `LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true` and "
      "`LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=<root>`, where `<root>/{0}` is this folder "
      "(`<root>` is {1}). In the project "
      "add a Local Files source storage (Settings > Cloud Storage > Add Source Storage) whose "
      "absolute local path is `<root>/{0}images` (or a folder between it and `<root>`): Label "
      "Studio serves a file only to a project with such a storage. Do **not** Sync it: a sync "
      "turns every PNG "
      "under that path into a task of its own, without the prediction (the tasks come from step "
      "3).",
      folder, root);
}

// What the labeling config does to small images, for the lead who wonders why they look large.
std::string display_note(const ExportBatch& batch) {
  const ImageShape& image = batch.image;
  const std::uint32_t width = display_width(image);
  if (width == image.width || !shows_display_width(batch)) return "";
  return fmt::format(" (it shows the {}x{} items {} times their size, {} px wide, pixels sharp)",
                     image.width, image.height, width / image.width, width);
}

// What the pre-labels are where the pool has objects, for every format at once.
std::string objects_note(const ExportBatch& batch) {
  const bool originals = !batch.tasks.empty() && !batch.tasks.front().original.empty();
  std::string keypoints =
      batch.task.keypoints() == 0
          ? ""
          : fmt::format(", with its keypoints ({})", fmt::join(batch.task.keypoint_names, ", "));
  return fmt::format(
      "Pre-labels: every detection of the model with confidence at least {} is drawn as a box"
      "{}, in pixels of the image in `images/<id>.png`{}. Annotators move, resize, relabel or "
      "delete them and draw the objects the model missed.\n\n",
      batch.prelabel_min_confidence, keypoints,
      originals ? " (each item's original image, as imported, not the pool's letterboxed copy)"
                : "");
}

std::string classification_section(Format format, const ExportBatch& batch,
                                   const FormatOptions& options) {
  const bool per_person = !batch.annotators.empty();
  switch (format) {
    case Format::label_studio:
      return fmt::format(
          "## Label Studio\n\n"
          "1. Create a project; under Settings > Labeling Interface > Code paste "
          "`label-studio/config.xml`{}.\n"
          "2. Serve the images: the task URLs are `{}images/<id>.png`.{}\n"
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
          display_note(batch), options.label_studio_prefix,
          serving_steps(options.label_studio_prefix),
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
             "CVAT's \"COCO 1.0\" layout, which CVAT and datumaro import as a dataset: "
             "`coco/annotations/instances_default.json` and the images in "
             "`coco/images/default/<id>.png` (hard links to `images/<id>.png`, not copies). Images "
             "carry `file_name` `<id>.png` and `quarry_id` the item id; categories have ids from "
             "1; each item has one whole-image annotation with the model's prediction (`score` "
             "its probability), its box also as a polygon, so pycocotools' `annToMask` builds its "
             "mask. Load the folder `coco/` in CVAT (Import dataset, \"COCO 1.0\"), datumaro "
             "(`-f coco`), FiftyOne or pycocotools.\n\n";
    case Format::sagemaker:
      return fmt::format(
          "## SageMaker Ground Truth\n\n"
          "1. Upload `images/` so that `{}images/<id>.png` exists (source-ref is that URI; "
          "re-export with `--sagemaker-prefix s3://bucket/path/`, or set `sagemaker-prefix` in a "
          "workspace, to change it).\n"
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

// Pools with objects: the tools' box and keypoint jobs (Label Studio's steps are those of
// classification, with a note on the regions).
std::string object_section(Format format, const ExportBatch& batch, const FormatOptions& options) {
  const bool per_person = !batch.annotators.empty();
  const bool skeleton = !batch.task.skeleton.empty();
  const bool keypoints = batch.task.keypoints() > 0;
  switch (format) {
    case Format::label_studio:
      return classification_section(format, batch, options) +
             "Boxes are `RectangleLabels` results (`label`), keypoints `KeyPointLabels` results "
             "(`keypoint`) whose `parentID` names their box; each region carries the model's "
             "confidence as `score`.\n\n";
    case Format::cvat:
      return fmt::format(
          "## CVAT\n\n"
          "1. Create a task with the labels `cvat/annotations.xml` lists in `<meta>` (each class "
          "a rectangle label{}) and upload the images{}.\n"
          "2. Actions > Upload annotations > \"CVAT 1.1\": `cvat/annotations.xml`{}. The "
          "pre-labels appear as automatic shapes; a box and its keypoints share a `group_id`.\n"
          "3. Export the annotations as \"CVAT for images 1.1\" for `quarry ingest --format "
          "cvat`.\n\n",
          !keypoints ? ""
          : skeleton ? "; a skeleton label `keypoints` whose points are the keypoints"
                     : "; each keypoint a points label",
          per_person ? " (one task per person: the files listed in `cvat/annotators/<name>.txt`)"
                     : " (`images/`)",
          per_person ? " (per person: `cvat/annotators/<name>.xml`)" : "");
    case Format::coco:
      return fmt::format(
          "## COCO\n\n"
          "CVAT's \"COCO {0}1.0\" layout: `coco/annotations/{1}_default.json` with the images "
          "in `coco/images/default/<id>.png` (hard links to `images/<id>.png`). Images carry "
          "`file_name` `<id>.png` and `quarry_id`; categories have ids from 1{2}. The "
          "annotations are the pre-labels (`bbox` [x, y, w, h], `area`, the box as a polygon, "
          "`score`{3}); `coco/prelabels.json` holds them again as a COCO results list "
          "(`image_id, category_id, bbox, score`{3}).\n\n",
          keypoints ? "Keypoints " : "", keypoints ? "person_keypoints" : "instances",
          keypoints ? ", with the `keypoints` names and the 1-based `skeleton`" : "",
          keypoints ? ", `keypoints` [x, y, v, ...]" : "");
    case Format::sagemaker:
      return fmt::format(
          "## SageMaker Ground Truth\n\n"
          "1. Upload `images/` so that `{0}images/<id>.png` exists (`--sagemaker-prefix` "
          "changes it).\n"
          "2. Create a bounding-box **adjustment** job with input manifest "
          "`sagemaker/manifest.jsonl`{1} and label categories `sagemaker/label-categories.json`: "
          "each line holds the pre-labels as the label attribute `{2}` of an earlier job "
          "(with `{2}-metadata`), which the categories name as `auditLabelAttributeName`. Give "
          "the new job another label attribute name. Keypoints are not carried (Ground Truth's "
          "bounding-box task has none).\n"
          "3. Give the job's output manifest to `quarry ingest --format sagemaker`.\n\n",
          options.sagemaker_prefix.empty() ? "<prefix>/" : options.sagemaker_prefix,
          per_person ? " (or one job per person: `sagemaker/annotators/<name>.jsonl`)" : "",
          kSageMakerLabelAttribute);
    case Format::csv:
      return "## CSV\n\n"
             "`csv/items.csv`: `id,file,width,height,objects,score,annotators`; "
             "`csv/objects.csv`: one row per object, `id,file,object,class,x0,y0,x1,y1,score` "
             "then `<keypoint>_x,<keypoint>_y,<keypoint>_v` per keypoint, in pixels of "
             "`images/<id>.png`. Answers come back in the objects.csv shape for `quarry ingest "
             "--format csv`.\n\n";
  }
  return {};
}

std::string section(Format format, const ExportBatch& batch, const FormatOptions& options) {
  return batch.has_objects() ? object_section(format, batch, options)
                             : classification_section(format, batch, options);
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
  if (batch.has_objects()) text += objects_note(batch);
  for (const Format format : formats) text += section(format, batch, options);
  text +=
      "The folder's manifest (`<folder>.manifest.json`, beside it) lists every file with its "
      "sha256.\n";
  return text;
}

}  // namespace quarry::exporting
