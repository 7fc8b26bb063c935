#include "files/scores/scores_file.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/float16.hpp"
#include "files/manifest/verify_input.hpp"
#include "h5/input_guard.hpp"

namespace quarry::score {

std::string score_dataset(const std::string& acquisition) {
  return std::string(kScoresGroup) + "/" + acquisition;
}

namespace {

// HDF5 rejects chunks larger than the dataset's extent only for fixed-size datasets of 0 rows:
// keep at least one row per chunk.
h5::Layout row_chunks(hsize_t rows, std::uint64_t chunk_rows) {
  return {std::max<hsize_t>(1, std::min<hsize_t>(chunk_rows, std::max<hsize_t>(rows, 1))), 0};
}

void create_detections_layout(h5::File& file, const ScoresMeta& meta, std::uint64_t chunk_rows) {
  const hsize_t n = meta.count, m = meta.detections;
  file.create_group(kDetectionsGroup);
  file.create_dataset<std::uint64_t>(kDetectionOffsets, {n + 1}, row_chunks(n + 1, chunk_rows));
  const auto per_detection = row_chunks(m, chunk_rows);
  file.create_dataset<float>(kDetectionBoxes, {m, 4}, per_detection);
  file.create_dataset<std::int32_t>(kDetectionLabels, {m}, per_detection);
  file.create_dataset<Float16>(kDetectionConfidence, {m}, per_detection);
  if (meta.detection_probs)
    file.create_dataset<Float16>(kDetectionProbs, {m, meta.classes}, per_detection);
  if (meta.keypoints > 0)
    file.create_dataset<float>(kDetectionKeypoints, {m, meta.keypoints, 3}, per_detection);
  h5::write_attribute(file.id(), "task", meta.task);
}

}  // namespace

void create_scores_layout(h5::File& file, const ScoresMeta& meta, std::uint64_t chunk_rows) {
  const hsize_t n = meta.count;
  const h5::Layout rows = row_chunks(n, chunk_rows);
  file.create_dataset<std::uint64_t>(kIds, {n}, rows);
  file.create_dataset<std::int32_t>(kPred, {n}, rows);
  file.create_dataset<Float16>(kProbs, {n, meta.classes}, rows);
  file.create_dataset<Float16>(kEmbeddings, {n, meta.embedding_dim}, rows);
  file.create_group(kScoresGroup);
  for (const auto& name : meta.acquisitions)
    file.create_dataset<float>(score_dataset(name), {n}, rows);

  const hid_t root = file.id();
  h5::write_attribute(root, "quarry_format", std::string(kScoresFormat));
  h5::write_attribute(root, "classes", meta.class_names);
  h5::write_attribute(root, "acquisitions", meta.acquisitions);
  h5::write_attribute(root, "pool", meta.pool);
  h5::write_attribute(root, "pool_items", static_cast<std::uint64_t>(meta.count));
  h5::write_attribute(root, "model", meta.model);
  h5::write_attribute(root, "model_sha256", meta.model_sha256);
  h5::write_attribute(root, "ranks", meta.ranks);
  h5::write_attribute(root, "mc_samples", meta.mc_samples);
  h5::write_attribute(root, "quarry_version", meta.quarry_version);
  if (meta.has_detections()) create_detections_layout(file, meta, chunk_rows);
}

namespace {

void expect_shape(const std::string& file, const h5::Dataset& dataset, const std::string& type,
                  const std::vector<hsize_t>& dims) {
  if (dataset.stored_type() != type || dataset.dims() != dims)
    throw InputError(file, dataset.name(),
                     fmt::format("must be {} [{}], found {} [{}]", type, fmt::join(dims, ","),
                                 dataset.stored_type(), fmt::join(dataset.dims(), ",")));
}

// The /detections table's shapes; fills meta's detection fields from them.
void check_detections(const std::string& name, const h5::File& file, ScoresMeta& meta) {
  if (meta.task != "detect" && meta.task != "keypoints")
    throw InputError(name, "attribute task",
                     "is '" + meta.task + "', not one of classify, detect, keypoints");
  expect_shape(name, file.open_dataset(kDetectionOffsets), "uint64", {meta.count + 1});
  auto labels = file.open_dataset(kDetectionLabels);
  meta.detections = labels.rows();
  expect_shape(name, labels, "int32", {meta.detections});
  expect_shape(name, file.open_dataset(kDetectionBoxes), "float32", {meta.detections, 4});
  expect_shape(name, file.open_dataset(kDetectionConfidence), "float16", {meta.detections});
  meta.detection_probs = file.exists(kDetectionProbs);
  if (meta.detection_probs)
    expect_shape(name, file.open_dataset(kDetectionProbs), "float16",
                 {meta.detections, meta.classes});
  if (file.exists(kDetectionKeypoints)) {
    auto keypoints = file.open_dataset(kDetectionKeypoints);
    meta.keypoints = keypoints.dims().size() == 3 ? keypoints.dims()[1] : 0;
    expect_shape(name, keypoints, "float32", {meta.detections, meta.keypoints, 3});
  }
}

}  // namespace

ScoresFile ScoresFile::open(const std::filesystem::path& path, const h5::FileAccess& access) {
  verify_against_manifest(path);
  // No walk of the heap collections here (it reads the whole file, on every rank): the child
  // read covers a damaged heap; scores files keep their strings in a few attributes.
  h5::probe_in_child(path, [&] { open_checked(path, h5::FileAccess::serial()); });
  return h5::read_as_input(path, [&] { return open_checked(path, access); });
}

ScoresFile ScoresFile::open_checked(const std::filesystem::path& path,
                                    const h5::FileAccess& access) {
  const std::string name = path.string();
  h5::File file = h5::File::open_read_only(path, access);
  const char* how_to_make = "make scores files with 'quarry score'";
  if (!h5::has_attribute(file.id(), "quarry_format") ||
      h5::read_string_attribute(file.id(), "quarry_format") != kScoresFormat)
    throw InputError(name, "attribute quarry_format",
                     fmt::format("is not '{}': not a quarry scores file", kScoresFormat),
                     how_to_make);
  ScoresMeta meta;
  const hid_t root = file.id();
  meta.class_names = h5::read_strings_attribute(root, "classes");
  meta.acquisitions = h5::read_strings_attribute(root, "acquisitions");
  meta.pool = h5::read_string_attribute(root, "pool");
  meta.model = h5::read_string_attribute(root, "model");
  meta.model_sha256 = h5::read_string_attribute(root, "model_sha256");
  meta.ranks = h5::read_attribute<std::int32_t>(root, "ranks");
  meta.mc_samples = h5::read_attribute<std::int32_t>(root, "mc_samples");
  meta.quarry_version = h5::read_string_attribute(root, "quarry_version");

  auto ids = file.open_dataset(kIds);
  meta.count = ids.rows();
  expect_shape(name, ids, "uint64", {meta.count});
  expect_shape(name, file.open_dataset(kPred), "int32", {meta.count});
  auto probs = file.open_dataset(kProbs);
  meta.classes = probs.dims().size() == 2 ? probs.dims()[1] : 0;
  expect_shape(name, probs, "float16", {meta.count, meta.classes});
  if (meta.class_names.size() != meta.classes)
    throw InputError(name, "attribute classes",
                     fmt::format("names {} classes but /probs has {} columns",
                                 meta.class_names.size(), meta.classes));
  auto embeddings = file.open_dataset(kEmbeddings);
  meta.embedding_dim = embeddings.dims().size() == 2 ? embeddings.dims()[1] : 0;
  expect_shape(name, embeddings, "float16", {meta.count, meta.embedding_dim});
  for (const auto& acquisition : meta.acquisitions)
    expect_shape(name, file.open_dataset(score_dataset(acquisition)), "float32", {meta.count});
  if (h5::has_attribute(root, "task")) meta.task = h5::read_string_attribute(root, "task");
  if (meta.has_detections()) check_detections(name, file, meta);
  return ScoresFile(std::move(file), std::move(meta));
}

h5::Dataset ScoresFile::score(const std::string& acquisition) const {
  const auto& known = meta_.acquisitions;
  if (std::find(known.begin(), known.end(), acquisition) == known.end())
    throw InputError(path().string(), score_dataset(acquisition),
                     fmt::format("was not computed; this file has: {}", fmt::join(known, ", ")),
                     "score again with the acquisition functions you need (--acquisitions)");
  return file_.open_dataset(score_dataset(acquisition));
}

}  // namespace quarry::score
