// SageMaker Ground Truth: an input manifest (JSON Lines, one object per item: source-ref and
// quarry's id, plus the model's prediction as extra keys, which Ground Truth passes through to
// the output manifest and a custom template can show) and the label categories file the
// image-classification job needs. With annotators, one manifest per person. Pools with objects
// get a bounding-box adjustment job's manifest instead (sagemaker_objects.cpp).
#include <nlohmann/json.hpp>

#include "export/object_writers.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

namespace {

std::string manifest_lines(const ExportBatch& batch, const std::vector<std::size_t>& tasks,
                           const std::string& prefix, const std::string& creation_date) {
  std::string text;
  for (const std::size_t t : tasks) {
    const ExportTask& task = batch.tasks[t];
    if (batch.has_objects()) {
      text += sagemaker_object_line(batch, task, prefix, creation_date).dump() + "\n";
      continue;
    }
    nlohmann::json line = {{"source-ref", prefix + task.file}, {"quarry-id", task.id}};
    if (!task.prelabels.empty()) {
      const PreLabel& top = task.prelabels.front();
      line["quarry-predicted-class"] = batch.classes[top.class_index];
      line["quarry-probability"] = top.probability;
    }
    text += line.dump() + "\n";
  }
  return text;
}

std::string label_categories(const ExportBatch& batch) {
  nlohmann::json labels = nlohmann::json::array();
  for (const std::string& name : batch.classes) labels.push_back({{"label", name}});
  nlohmann::json doc = {{"document-version", "2018-11-28"}, {"labels", std::move(labels)}};
  // An adjustment job's categories name the label attribute it adjusts.
  if (batch.has_objects()) doc["auditLabelAttributeName"] = kSageMakerLabelAttribute;
  return doc.dump(2) + "\n";
}

}  // namespace

void write_sagemaker(const ExportBatch& batch, const FormatOptions& options, OutputFolder& out) {
  const std::string date = batch.has_objects() ? sagemaker_creation_date() : "";
  out.write("sagemaker/manifest.jsonl",
            manifest_lines(batch, all_tasks(batch), options.sagemaker_prefix, date));
  out.write("sagemaker/label-categories.json", label_categories(batch));
  for (std::uint32_t a = 0; a < batch.annotators.size(); ++a)
    out.write("sagemaker/annotators/" + batch.annotators[a] + ".jsonl",
              manifest_lines(batch, tasks_of_annotator(batch, a), options.sagemaker_prefix, date));
}

}  // namespace quarry::exporting
