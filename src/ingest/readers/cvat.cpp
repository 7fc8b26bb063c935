// CVAT for images 1.1 XML. One export per annotator job; the annotator comes from --annotator,
// else the job's <assignee>, else the task's <owner>.
#include <fmt/format.h>

#include <pugixml.hpp>
#include <stdexcept>

#include "core/error.hpp"
#include "ingest/readers/json_fields.hpp"
#include "ingest/readers/object_readers.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

namespace {

std::string username_in(const pugi::xml_node& meta) {
  for (const char* scope : {"job", "task"})
    for (const char* role : {"assignee", "owner"}) {
      std::string name = meta.child(scope).child(role).child("username").text().as_string();
      if (!name.empty()) return name;
    }
  return {};
}

std::string line_of(const std::string& text, const pugi::xml_node& node) {
  const auto offset = node.offset_debug();
  return offset < 0 ? std::string("?") : text_position(text, static_cast<std::size_t>(offset));
}

}  // namespace

void read_cvat(const std::string& text, const std::string& annotator_option, RecordSink& sink,
               bool objects) {
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed)
    throw InputError(
        sink.file().string(),
        text_position(text, static_cast<std::size_t>(std::max<long>(parsed.offset, 0))),
        fmt::format("malformed XML: {}", parsed.description()),
        "the file is not a complete CVAT for images 1.1 export");
  const auto root = doc.child("annotations");
  if (!root)
    throw InputError(sink.file().string(), "root element",
                     "is not <annotations>: not a CVAT for images 1.1 export",
                     "export the job from CVAT as 'CVAT for images 1.1'");
  const std::string annotator =
      !annotator_option.empty() ? annotator_option : username_in(root.child("meta"));
  if (annotator.empty())
    throw InputError(sink.file().string(), "<meta>",
                     "names no annotator (no <assignee> or <owner> username)",
                     "pass --annotator NAME for this file");
  for (const auto& image : root.children("image")) {
    const std::string name = image.attribute("name").as_string();
    const std::string where = fmt::format("{} (image {})", line_of(text, image), name);
    std::uint64_t id = 0;
    try {
      id = id_from_image_name(name, false);
    } catch (const std::invalid_argument& e) {
      sink.reject(where, e.what());
      continue;
    }
    if (objects) {
      read_record(sink, where, [&] {
        sink.add({id, annotator, "", where, 0, cvat_image_objects(image, text)});
      });
      continue;
    }
    for (const auto& tag : image.children("tag")) {
      // source="auto" marks quarry's pre-label; people's answers are "manual" (or unmarked).
      if (std::string(tag.attribute("source").as_string("manual")) == "auto") continue;
      const std::string label = tag.attribute("label").as_string();
      const std::string tag_where = fmt::format("{} (image {})", line_of(text, tag), name);
      if (label.empty()) {
        sink.reject(tag_where, "has no label");
        continue;
      }
      sink.add({id, annotator, label, tag_where});
    }
  }
}

}  // namespace quarry::ingest
