// Label Studio JSON export. Each task keeps the `data` quarry wrote (image URL and quarry_id);
// Label Studio adds `annotations`, one per person who labeled it.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/error.hpp"
#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

namespace {

// Who completed the annotation (see read_label_studio). A user id is never kept as a bare
// number: it would be one person with another server's user of that id, or a CSV annotator "2".
std::optional<std::string> annotator_of(const nlohmann::json& annotation,
                                        const AnnotatorMap& users) {
  const auto it = annotation.find("completed_by");
  if (it == annotation.end()) return std::nullopt;
  const nlohmann::json* who = &*it;
  if (it->is_object()) {  // the expanded user of the export: the email names the person
    if (auto email = it->find("email");
        email != it->end() && email->is_string() && !email->get<std::string>().empty())
      return email->get<std::string>();
    const auto id = it->find("id");
    if (id == it->end()) return std::nullopt;
    who = &*id;
  }
  // A user id: a non-negative JSON integer, as Label Studio writes it.
  if (who->is_number_unsigned()) return label_studio_annotator(who->get<std::uint64_t>(), users);
  if (who->is_string()) return who->get<std::string>();
  throw std::invalid_argument(
      fmt::format("completed_by: is of type {}, expected a user id or a name", who->type_name()));
}

// The one chosen class of a "choices" result; nullopt when there is none, throws when several.
std::optional<std::string> choice_of(const nlohmann::json& annotation) {
  const auto results = annotation.find("result");
  if (results == annotation.end() || !results->is_array()) return std::nullopt;
  std::optional<std::string> choice;
  for (std::size_t r = 0; r < results->size(); ++r) {
    const auto& result = (*results)[r];
    if (string_field(result, "type", fmt::format("result[{}].type", r)) != "choices") continue;
    const auto value = result.find("value");
    if (value == result.end() || !value->is_object()) continue;
    const auto choices = value->find("choices");
    if (choices == value->end() || !choices->is_array() || choices->empty()) continue;
    if (choices->size() > 1 || choice)
      throw std::invalid_argument("chooses more than one class (quarry labels one class per item)");
    choice = json_label(choices->front());
    if (!choice) throw std::invalid_argument("has a choice that is not a class name");
  }
  return choice;
}

std::optional<std::uint64_t> task_item_id(const nlohmann::json& data) {
  if (auto id = data.find("quarry_id"); id != data.end()) {
    auto value = json_id(*id);
    if (!value) throw std::invalid_argument("data.quarry_id is not a non-negative integer");
    // The image URL, when present, must name the same item.
    if (auto image = data.find("image"); image != data.end() && image->is_string()) {
      const auto named = id_from_image_name(image->get<std::string>(), true);
      if (named != *value)
        throw std::invalid_argument(
            fmt::format("data.image names item {} but data.quarry_id is {}", named, *value));
    }
    return value;
  }
  if (auto image = data.find("image"); image != data.end() && image->is_string())
    return id_from_image_name(image->get<std::string>(), true);
  return std::nullopt;
}

// One person's annotation of a task: its chosen class, unless cancelled or submitted without one.
void read_annotation(const nlohmann::json& annotation, std::uint64_t id, std::uint64_t task,
                     const std::string& where, const AnnotatorMap& users, RecordSink& sink,
                     bool objects) {
  if (!annotation.is_object()) throw std::invalid_argument("is not an object");
  if (bool_field(annotation, "was_cancelled", false)) return;  // skipped by the annotator
  auto annotator = annotator_of(annotation, users);
  if (!annotator || annotator->empty())
    throw std::invalid_argument("has no completed_by (who annotated it)");
  if (objects)
    sink.add({id, *annotator, "", where, task, label_studio_objects(annotation)});
  else if (auto choice = choice_of(annotation))
    sink.add({id, *annotator, *choice, where, task});
}

}  // namespace

void read_label_studio(const std::string& text, const AnnotatorMap& users, RecordSink& sink,
                       bool objects) {
  nlohmann::json tasks;
  try {
    tasks = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(sink.file().string(), text_position(text, json_parse_offset(text, e)),
                     json_parse_problem(e), "the file is not a complete Label Studio JSON export");
  }
  if (!tasks.is_array())
    throw InputError(sink.file().string(), "top level",
                     "is not a JSON array of tasks: not a Label Studio JSON export",
                     "export from Label Studio with the JSON format");
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto& task = tasks[t];
    const std::string task_where =
        task.is_object() && task.contains("id") && json_label(task["id"])
            ? fmt::format("task {} (#{} in the file)", *json_label(task["id"]), t + 1)
            : fmt::format("task #{} in the file", t + 1);
    if (!task.is_object() || !task.contains("data") || !task["data"].is_object()) {
      sink.reject(task_where, "has no data object");
      continue;
    }
    std::optional<std::uint64_t> id;
    try {
      id = task_item_id(task["data"]);
    } catch (const std::invalid_argument& e) {
      sink.reject(task_where, e.what());
      continue;
    }
    if (!id) {
      sink.reject(task_where, "has neither data.quarry_id nor data.image",
                  "ingest tasks that quarry export wrote");
      continue;
    }
    const auto annotations = task.find("annotations");
    if (annotations == task.end() || !annotations->is_array()) continue;  // not labeled yet
    // Label Studio numbers tasks across its server; a task without an id names none (0).
    const auto task_id = task.contains("id") ? json_id(task["id"]).value_or(0) : 0;
    for (std::size_t a = 0; a < annotations->size(); ++a) {
      const std::string where = fmt::format("{}, annotation {}", task_where, a + 1);
      read_record(sink, where, [&] {
        read_annotation((*annotations)[a], *id, task_id, where, users, sink, objects);
      });
    }
  }
}

}  // namespace quarry::ingest
