// Label Studio: a tasks JSON (one task per item, the model's prediction as a `choices` result, or
// for pools with objects its boxes and keypoints: label_studio_objects.cpp) and the labeling
// config XML for the classes, ready to paste into a project's settings.
#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>
#include <sstream>

#include "export/object_writers.hpp"
#include "export/writers.hpp"

namespace quarry::exporting {

namespace {

// Names tying the prediction results to the config's tags; ingest reads the same shape back.
constexpr const char* kFromName = kLabelStudioBoxes;
constexpr const char* kToName = kLabelStudioImage;

nlohmann::json result_of(const ExportBatch& batch, const PreLabel& label) {
  switch (label.kind) {
    case PreLabel::Kind::choice:
      return {{"from_name", kFromName},
              {"to_name", kToName},
              {"type", "choices"},
              {"value", {{"choices", nlohmann::json::array({batch.classes[label.class_index]})}}}};
  }
  return {};
}

// A prediction's score sorts tasks in Label Studio's data manager: the mean confidence of its
// objects (0 without any).
float mean_confidence(const ExportTask& task) {
  double sum = 0;
  for (const ObjectPreLabel& object : task.objects) sum += object.confidence;
  return task.objects.empty() ? 0.0f : static_cast<float>(sum / task.objects.size());
}

std::string tasks_json(const ExportBatch& batch, const std::vector<std::size_t>& tasks,
                       const std::string& prefix) {
  nlohmann::json doc = nlohmann::json::array();
  for (std::size_t n = 0; n < tasks.size(); ++n) {
    const ExportTask& task = batch.tasks[tasks[n]];
    nlohmann::json results = nlohmann::json::array();
    for (const PreLabel& label : task.prelabels) results.push_back(result_of(batch, label));
    float score = task.prelabels.empty() ? 0.0f : task.prelabels.front().probability;
    if (batch.has_objects()) {
      results = label_studio_object_results(batch, task);
      score = mean_confidence(task);
    }
    nlohmann::json prediction = {
        {"model_version", batch.model_version}, {"score", score}, {"result", std::move(results)}};
    doc.push_back({{"id", n + 1},
                   {"data", {{"image", prefix + task.file}, {"quarry_id", task.id}}},
                   {"predictions", nlohmann::json::array({std::move(prediction)})}});
  }
  return doc.dump(1) + "\n";
}

std::string saved(const pugi::xml_document& doc) {
  std::ostringstream text;
  doc.save(text, "  ", pugi::format_default | pugi::format_no_declaration);
  return text.str();
}

std::string labeling_config(const ExportBatch& batch) {
  pugi::xml_document doc;
  pugi::xml_node view = doc.append_child("View");
  pugi::xml_node image = view.append_child("Image");
  image.append_attribute("name") = kToName;
  image.append_attribute("value") = "$image";
  image.append_attribute("zoom") = "true";
  if (const std::uint32_t width = display_width(batch.image);
      shows_display_width(batch) && width != batch.image.width) {
    image.append_attribute("width") = fmt::format("{}px", width).c_str();
    // Each pixel a sharp square block: blurred edges hide what the annotator must judge.
    image.append_attribute("smoothing") = "false";
  }
  if (batch.has_objects()) {
    add_label_studio_object_tags(batch, view);
    return saved(doc);
  }
  pugi::xml_node choices = view.append_child("Choices");
  choices.append_attribute("name") = kFromName;
  choices.append_attribute("toName") = kToName;
  choices.append_attribute("choice") = "single";
  choices.append_attribute("showInline") = "true";
  for (const std::string& name : batch.classes)
    choices.append_child("Choice").append_attribute("value") = name.c_str();
  return saved(doc);
}

}  // namespace

bool shows_display_width(const ExportBatch& batch) {
  // Images with regions keep their own size and annotators zoom (a display width places regions
  // correctly too: tests/export/cli/label_studio_frontend.sh checks a config with one).
  return !batch.has_objects();
}

std::uint32_t display_width(const ImageShape& image) {
  const std::uint32_t longer = std::max(image.width, image.height);
  if (longer == 0 || longer >= kSmallImageDisplay) return image.width;
  const std::uint32_t scale = (kSmallImageDisplay + longer - 1) / longer;  // ceil
  return image.width * scale;
}

std::string local_files_prefix(const std::string& folder) {
  // The folder goes into a query parameter: percent-encode all but RFC 3986's unreserved
  // characters and the '/' a query may hold, so names with spaces, '&' or '#' reach Label
  // Studio whole.
  std::string encoded;
  for (const unsigned char c : folder) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
      encoded += static_cast<char>(c);
    else
      encoded += fmt::format("%{:02X}", c);
  }
  return std::string(kLocalFilesUrl) + encoded + "/";
}

void write_label_studio(const ExportBatch& batch, const FormatOptions& options, OutputFolder& out) {
  const std::vector<std::size_t> all = all_tasks(batch);
  out.write("label-studio/tasks.json", tasks_json(batch, all, options.label_studio_prefix));
  out.write("label-studio/config.xml", labeling_config(batch));
  for (std::uint32_t a = 0; a < batch.annotators.size(); ++a)
    out.write("label-studio/annotators/" + batch.annotators[a] + ".json",
              tasks_json(batch, tasks_of_annotator(batch, a), options.label_studio_prefix));
}

}  // namespace quarry::exporting
