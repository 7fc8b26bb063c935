#include "files/selection/selection_file.hpp"

#include <fmt/format.h>

#include <span>

#include "core/error.hpp"
#include "files/manifest/verify_input.hpp"
#include "h5/file.hpp"
#include "h5/heap_references.hpp"
#include "h5/input_guard.hpp"

namespace quarry::select {

void write_selection(const std::filesystem::path& path, const Selection& selection) {
  const hsize_t k = selection.ids.size();
  if (selection.score.size() != k || selection.reason.size() != k)
    throw Error("selection: ids, score and reason differ in length");
  auto file = h5::File::create(path);
  file.create_dataset<std::uint64_t>("/ids", {k}).write_rows<std::uint64_t>(0, k, selection.ids);
  file.create_dataset<float>("/score", {k}).write_rows<float>(0, k, selection.score);
  file.create_dataset<float>("/reason", {k}).write_rows<float>(0, k, selection.reason);
  const hid_t root = file.id();
  h5::write_attribute(root, "quarry_format", std::string(kSelectionFormat));
  h5::write_attribute(root, "strategy", selection.strategy);
  h5::write_attribute(root, "reason", selection.reason_meaning);
  h5::write_attribute(root, "seed", selection.seed);
  h5::write_attribute(root, "k", static_cast<std::uint64_t>(k));
  h5::write_attribute(root, "objective", selection.objective);
  h5::write_attribute(root, "scores", selection.scores);
  file.flush();
  file.close();
}

namespace {
Selection read_selection_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  auto file = h5::File::open_read_only(path);
  const hid_t root = file.id();
  if (!h5::has_attribute(root, "quarry_format") ||
      h5::read_string_attribute(root, "quarry_format") != kSelectionFormat)
    throw InputError(name, "attribute quarry_format",
                     fmt::format("is not '{}': not a quarry selection file", kSelectionFormat),
                     "make selection files with 'quarry select'");
  Selection selection;
  selection.ids = file.open_dataset("/ids").read_all<std::uint64_t>();
  selection.score = file.open_dataset("/score").read_all<float>();
  selection.reason = file.open_dataset("/reason").read_all<float>();
  const auto k = selection.ids.size();
  if (selection.score.size() != k || selection.reason.size() != k)
    throw InputError(name, "/score",
                     fmt::format("/ids has {} rows but /score {} and /reason {}", k,
                                 selection.score.size(), selection.reason.size()));
  selection.strategy = h5::read_string_attribute(root, "strategy");
  selection.reason_meaning = h5::read_string_attribute(root, "reason");
  selection.seed = h5::read_attribute<std::uint64_t>(root, "seed");
  selection.objective = h5::read_attribute<double>(root, "objective");
  selection.scores = h5::read_string_attribute(root, "scores");
  return selection;
}
}  // namespace

Selection read_selection(const std::filesystem::path& path) {
  verify_against_manifest(path);
  h5::check_heap_collections(path);
  h5::probe_in_child(path, [&] { read_selection_file(path); });
  return h5::read_as_input(path, [&] { return read_selection_file(path); });
}

}  // namespace quarry::select
