// Reading and writing the ledger's object groups (layout in ledger_objects.hpp).
#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "files/ledger/columns.hpp"
#include "files/ledger/ledger_objects.hpp"
#include "h5/attribute.hpp"
#include "h5/file.hpp"

namespace quarry::ingest {

namespace {

void write_rows(h5::File& file, const std::string& group, const ObjectRows& rows,
                std::size_t keypoint_count) {
  write_column(file, group + "/offsets", rows.offsets);
  write_column(file, group + "/boxes", rows.boxes, {4});
  write_column(file, group + "/labels", rows.labels);
  if (keypoint_count > 0)
    write_column(file, group + "/keypoints", rows.keypoints, {keypoint_count, 3});
  write_column(file, group + "/confidence", rows.confidence);
}

// The problem with object `o` of `rows`, or empty.
std::string object_problem(const ObjectRows& rows, std::size_t o, std::size_t classes,
                           std::size_t keypoint_count) {
  const float* box = &rows.boxes[4 * o];
  for (int i = 0; i < 4; ++i)
    if (!std::isfinite(box[i])) return "has a box coordinate that is not a finite number";
  if (!(box[0] < box[2] && box[1] < box[3]))
    return fmt::format("has box ({},{},{},{}) without x0 < x1 and y0 < y1", box[0], box[1], box[2],
                       box[3]);
  if (rows.labels[o] < 0 || static_cast<std::size_t>(rows.labels[o]) >= classes)
    return fmt::format("has label {}, outside the {} classes", rows.labels[o], classes);
  if (!(rows.confidence[o] >= 0 && rows.confidence[o] <= 1))
    return fmt::format("has confidence {}, not in 0..1", rows.confidence[o]);
  for (std::size_t k = 0; k < keypoint_count; ++k) {
    const float* p = &rows.keypoints[(o * keypoint_count + k) * 3];
    if (!std::isfinite(p[0]) || !std::isfinite(p[1]) || (p[2] != 0 && p[2] != 1 && p[2] != 2))
      return fmt::format("keypoint {} is ({},{}) with visibility {}", k, p[0], p[1], p[2]);
  }
  return {};
}

// Reads one CSR group of `rows` rows and checks it; `row_name(i)` names row i in messages.
template <class RowName>
ObjectRows read_rows(const h5::File& file, const std::string& group, std::size_t rows,
                     std::size_t classes, std::size_t keypoint_count, RowName row_name) {
  ObjectRows t;
  t.offsets = read_column<std::uint64_t>(file, group + "/offsets");
  t.boxes = read_column<float>(file, group + "/boxes", {4});
  t.labels = read_column<std::int32_t>(file, group + "/labels");
  if (keypoint_count > 0)
    t.keypoints = read_column<float>(file, group + "/keypoints", {keypoint_count, 3});
  t.confidence = read_column<float>(file, group + "/confidence");
  const std::size_t m = t.labels.size();
  check_length(file, group + "/offsets", t.offsets.size(), rows + 1);
  check_length(file, group + "/boxes", t.boxes.size() / 4, m);
  check_length(file, group + "/keypoints", t.keypoints.size(), keypoint_count * 3 * m);
  check_length(file, group + "/confidence", t.confidence.size(), m);
  const std::string name = file.path().string();
  if (t.offsets.front() != 0 || t.offsets.back() != m)
    throw InputError(name, group + "/offsets",
                     fmt::format("run from {} to {}, not from 0 to the {} objects",
                                 t.offsets.front(), t.offsets.back(), m));
  for (std::size_t row = 0; row < rows; ++row) {
    if (t.offsets[row + 1] < t.offsets[row])
      throw InputError(
          name, fmt::format("{}/offsets: {}", group, row_name(row)),
          fmt::format("offsets decrease ({} then {})", t.offsets[row], t.offsets[row + 1]));
    for (std::size_t o = t.first(row); o < t.first(row) + t.objects(row); ++o)
      if (auto problem = object_problem(t, o, classes, keypoint_count); !problem.empty())
        throw InputError(name,
                         fmt::format("{}: {}, object {}", group, row_name(row), o - t.first(row)),
                         problem);
  }
  return t;
}

}  // namespace

LedgerObjects read_ledger_objects(const h5::File& file, std::size_t items, std::size_t answers,
                                  std::size_t classes) {
  LedgerObjects objects;
  if (!file.exists("/objects")) return objects;
  objects.present = true;
  {
    h5::Handle group(
        h5::check_in(file.id(), H5Gopen2(file.id(), "/objects", H5P_DEFAULT), "opening /objects"));
    objects.keypoint_names = h5::read_strings_attribute(group.id(), "keypoint_names");
  }
  const std::size_t k = objects.keypoint_count();
  auto row = [](const char* what) {
    return [what](std::size_t i) { return fmt::format("{} row {}", what, i); };
  };
  objects.current = read_rows(file, "/objects", items, classes, k, row("item"));
  const std::size_t replaced = read_column<std::uint64_t>(file, "/objects/history/ids").size();
  static_cast<ObjectRows&>(objects.history) =
      read_rows(file, "/objects/history", replaced, classes, k, row("history"));
  objects.history.ids = read_column<std::uint64_t>(file, "/objects/history/ids");
  objects.history.round = read_column<std::int32_t>(file, "/objects/history/round");
  objects.history.replaced_in_round =
      read_column<std::int32_t>(file, "/objects/history/replaced_in_round");
  check_length(file, "/objects/history/round", objects.history.round.size(), replaced);
  check_length(file, "/objects/history/replaced_in_round", objects.history.replaced_in_round.size(),
               replaced);
  objects.raw = read_rows(file, "/annotations/objects", answers, classes, k, row("answer"));
  return objects;
}

void write_ledger_objects(h5::File& file, const LedgerObjects& objects) {
  if (!objects.present) return;
  const std::size_t k = objects.keypoint_count();
  file.create_group("/objects");
  {
    h5::Handle group(
        h5::check_in(file.id(), H5Gopen2(file.id(), "/objects", H5P_DEFAULT), "opening /objects"));
    h5::write_attribute(group.id(), "keypoint_names", objects.keypoint_names,
                        h5::StringStorage::fixed);
  }
  write_rows(file, "/objects", objects.current, k);
  file.create_group("/objects/history");
  write_rows(file, "/objects/history", objects.history, k);
  write_column(file, "/objects/history/ids", objects.history.ids);
  write_column(file, "/objects/history/round", objects.history.round);
  write_column(file, "/objects/history/replaced_in_round", objects.history.replaced_in_round);
  file.create_group("/annotations/objects");
  write_rows(file, "/annotations/objects", objects.raw, k);
}

}  // namespace quarry::ingest
