#include "pool/summary.hpp"

#include <fmt/format.h>

#include "h5/attribute.hpp"

namespace quarry::pool {

namespace {
std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) bytes /= 1024, ++unit;
  return unit ? fmt::format("{:.1f} {}", bytes, units[unit]) : fmt::format("{:.0f} B", bytes);
}
}  // namespace

PoolSummary summarize_pool(const std::filesystem::path& path) {
  PoolFile file = PoolFile::open(path);
  file.check_contents();
  PoolSummary summary;
  summary.path = path;
  summary.format = h5::read_string_attribute(file.file().id(), "quarry_format");
  summary.meta = file.meta();
  summary.file_bytes = std::filesystem::file_size(path);
  if (file.meta().task.has_objects) summary.objects = pool_object_stats(file);
  if (file.labels()) {
    summary.label_counts.assign(summary.meta.classes.size(), 0);
    for (std::int32_t label : file.labels()->read_all<std::int32_t>()) {
      if (label == kUnknownLabel)
        ++summary.unknown_labels;
      else
        ++summary.label_counts[static_cast<size_t>(label)];
    }
  }
  return summary;
}

std::string format_summary(const PoolSummary& s) {
  const PoolMeta& m = s.meta;
  std::string text;
  auto row = [&](const char* key, const std::string& value) {
    text += fmt::format("{:<10}{}\n", key, value);
  };
  row("pool", s.path.string());
  row("format", s.format);
  row("source", m.source.empty() ? "-" : m.source);
  row("items", fmt::format("{}", m.count));
  row("kind", fmt::format("{} {}", m.shape.kind == Kind::images ? "images" : "features",
                          m.shape.describe()));
  row("chunking", m.chunk_rows ? fmt::format("{} items per chunk ({})", m.chunk_rows,
                                             human_bytes(double(m.chunk_rows * m.shape.bytes())))
                               : "contiguous");
  row("task", task_name(m.task.kind));
  row("classes", m.classes.empty()
                     ? "-"
                     : fmt::format("{}: {}", m.classes.size(), fmt::join(m.classes, ", ")));
  if (m.has_labels) {
    std::vector<std::string> counts;
    for (size_t c = 0; c < s.label_counts.size(); ++c)
      counts.push_back(fmt::format("{} {}", m.classes[c], s.label_counts[c]));
    if (s.unknown_labels) counts.push_back(fmt::format("unknown {}", s.unknown_labels));
    row("labels", fmt::format("{}", fmt::join(counts, ", ")));
  } else {
    row("labels", "none (no /labels dataset)");
  }
  if (s.objects) text += format_object_stats(*s.objects, m);
  row("size", fmt::format("{} on disk ({} of items)", human_bytes(double(s.file_bytes)),
                          human_bytes(double(m.count * m.shape.bytes()))));
  return text;
}

nlohmann::json summary_json(const PoolSummary& s) {
  const PoolMeta& m = s.meta;
  nlohmann::json j;
  j["pool"] = s.path.string();
  j["format"] = s.format;
  j["source"] = m.source;
  j["items"] = m.count;
  j["kind"] = m.shape.kind == Kind::images ? "images" : "features";
  j["item_shape"] = m.shape.dims;
  j["chunk_rows"] = m.chunk_rows;
  j["classes"] = m.classes;
  j["task"] = task_name(m.task.kind);
  if (m.task.kind == Task::keypoints) {
    j["keypoint_names"] = m.task.keypoint_names;
    j["flip_pairs"] = m.task.flip_pairs;
    j["keypoint_sigmas"] = m.task.keypoint_sigmas;
  }
  if (s.objects) j["objects"] = object_stats_json(*s.objects, m);
  if (m.has_labels) {
    j["label_counts"] = s.label_counts;
    j["unknown_labels"] = s.unknown_labels;
  }
  j["file_bytes"] = s.file_bytes;
  return j;
}

}  // namespace quarry::pool
