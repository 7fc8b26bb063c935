// SageMaker Ground Truth output manifest: JSON Lines, one object per item with the fields quarry
// wrote (source-ref, quarry-id). Per-worker answers, where the job kept them, are in
// `annotations` ({workerId, annotationData: {content: "<JSON with a label>"}}); otherwise the
// consolidated answer is the label attribute, `<attr>: <class index>` with `<attr>-metadata`.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

namespace {

constexpr const char* kClassificationType = "groundtruth/image-classification";
constexpr const char* kDetectionType = "groundtruth/object-detection";

std::uint64_t item_id(const nlohmann::json& line) {
  std::optional<std::uint64_t> id;
  if (auto it = line.find("quarry-id"); it != line.end()) {
    id = json_id(*it);
    if (!id) throw std::invalid_argument("quarry-id is not a non-negative integer");
  }
  if (auto ref = line.find("source-ref"); ref != line.end() && ref->is_string()) {
    const auto named = id_from_image_name(ref->get<std::string>(), true);
    if (id && named != *id)
      throw std::invalid_argument(
          fmt::format("source-ref names item {} but quarry-id is {}", named, *id));
    id = named;
  }
  if (!id) throw std::invalid_argument("has neither quarry-id nor source-ref");
  return *id;
}

// The label inside a worker's answer content: {"label": ...}, or one level down
// ({"crowd-image-classifier": {"label": ...}}, {"annotatedResult": {"label": ...}}).
std::optional<std::string> label_in(const nlohmann::json& content) {
  if (!content.is_object()) return std::nullopt;
  if (auto it = content.find("label"); it != content.end()) return json_label(*it);
  for (const auto& [key, value] : content.items())
    if (value.is_object())
      if (auto it = value.find("label"); it != value.end()) return json_label(*it);
  return std::nullopt;
}

void read_worker_answers(const nlohmann::json& annotations, std::uint64_t id,
                         const std::string& where, RecordSink& sink, bool objects) {
  if (!annotations.is_array()) {
    sink.reject(where, "annotations is not a list of worker answers");
    return;
  }
  for (std::size_t w = 0; w < annotations.size(); ++w) {
    const auto& answer = annotations[w];
    const std::string answer_where = fmt::format("{}, worker answer {}", where, w + 1);
    const auto worker = answer.is_object() && answer.contains("workerId")
                            ? json_label(answer["workerId"])
                            : std::nullopt;
    if (!worker || worker->empty()) {
      sink.reject(answer_where, "has no workerId");
      continue;
    }
    const nlohmann::json* content = nullptr;
    if (auto data = answer.find("annotationData"); data != answer.end() && data->is_object())
      if (auto found = data->find("content"); found != data->end()) content = &*found;
    if (!content) {
      sink.reject(answer_where, "has no annotationData.content");
      continue;
    }
    // The content is JSON inside a string (as Ground Truth writes it), or already an object.
    const nlohmann::json parsed =
        content->is_string() ? nlohmann::json::parse(content->get<std::string>(), nullptr, false)
                             : *content;
    if (objects) {
      read_record(sink, answer_where, [&] {
        sink.add({id, *worker, "", answer_where, 0, sagemaker_worker_objects(parsed)});
      });
      continue;
    }
    auto label = label_in(parsed);
    if (!label) {
      sink.reject(answer_where, "annotationData.content holds no label");
      continue;
    }
    sink.add({id, *worker, *label, answer_where});
  }
}

void read_consolidated(const nlohmann::json& line, std::uint64_t id, const std::string& where,
                       RecordSink& sink, bool objects) {
  const char* type = objects ? kDetectionType : kClassificationType;
  for (const auto& [key, metadata] : line.items()) {
    if (!key.ends_with("-metadata") || !metadata.is_object()) continue;
    if (string_field(metadata, "type", key + ".type") != type) continue;
    // An adjustment job's output keeps its input's attributes: boxes no person drew (quarry's
    // pre-labels, human-annotated "no") are not an annotator's answer.
    if (objects && string_field(metadata, "human-annotated", key + ".human-annotated") == "no")
      continue;
    const std::string attribute = key.substr(0, key.size() - std::string("-metadata").size());
    const auto job = string_field(metadata, "job-name", key + ".job-name");
    if (objects) {
      const auto value = line.find(attribute);
      if (value == line.end() || !value->is_object())
        throw std::invalid_argument(fmt::format("label attribute '{}' is missing", attribute));
      sink.add({id, job.value_or(attribute), "", where, 0,
                sagemaker_consolidated_objects(*value, metadata)});
      return;
    }
    // The class name is what the annotator saw; the index is into the job's label list.
    std::optional<std::string> label;
    if (auto name = metadata.find("class-name"); name != metadata.end()) label = json_label(*name);
    if (!label)
      if (auto index = line.find(attribute); index != line.end()) label = json_label(*index);
    if (!label) {
      sink.reject(where, fmt::format("label attribute '{}' holds no class", attribute));
      return;
    }
    sink.add({id, job.value_or(attribute), *label, where});
    return;
  }
  sink.reject(where,
              fmt::format("has no worker annotations and no label attribute of type {}", type),
              objects ? "ingest the output manifest of a bounding box labeling job"
                      : "ingest the output manifest of an image classification labeling job");
}

// One item's line: the workers' answers where the job kept them, else the consolidated label.
void read_line(const nlohmann::json& line, const std::string& where, RecordSink& sink,
               bool objects) {
  if (!line.is_object()) throw std::invalid_argument("is not a JSON object");
  const std::uint64_t id = item_id(line);
  if (auto annotations = line.find("annotations"); annotations != line.end())
    read_worker_answers(*annotations, id, where, sink, objects);
  else
    read_consolidated(line, id, where, sink, objects);
}

}  // namespace

void read_sagemaker(const std::string& text, RecordSink& sink, bool objects) {
  std::size_t start = 0, line_number = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string row = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (row.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = fmt::format("line {}", line_number);
    nlohmann::json line;
    try {
      line = nlohmann::json::parse(row);
    } catch (const nlohmann::json::exception& e) {
      sink.reject(fmt::format("line {}, column {}", line_number, json_parse_offset(row, e) + 1),
                  json_parse_problem(e), "each line of a Ground Truth manifest is one JSON object");
      continue;
    }
    read_record(sink, where, [&] { read_line(line, where, sink, objects); });
  }
}

}  // namespace quarry::ingest
