#include "files/scores/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "files/manifest/partial_run.hpp"

namespace quarry::score {

namespace fs = std::filesystem;

namespace {

// Version 2 added the detections (pools with objects).
constexpr char kMagic[8] = {'Q', 'S', 'C', 'U', 'N', 'I', 'T', '2'};

struct UnitHeader {
  char magic[8];
  std::uint64_t unit, first_row, count, classes, embedding_dim, acquisitions;
  // Detections: present (0/1), keypoints K, probs (0/1), how many.
  std::uint64_t detections_present, keypoints, detection_probs, detections;
};

UnitHeader read_header(const std::string& bytes, std::uint64_t unit, const fs::path& path) {
  UnitHeader header{};
  if (bytes.size() < sizeof header)
    throw Error("checkpoint unit " + path.string() + " is truncated");
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.unit != unit)
    throw Error("checkpoint unit " + path.string() + " is not a unit file of this run");
  return header;
}

std::string read_bytes(const fs::path& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(limit, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(limit));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

template <class T>
void put(std::string& out, const std::vector<T>& values) {
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <class T>
void take(const std::string& in, std::size_t& at, std::vector<T>& values, std::size_t count,
          const fs::path& file) {
  const std::size_t bytes = count * sizeof(T);
  if (at + bytes > in.size()) throw Error("checkpoint unit " + file.string() + " is truncated");
  values.resize(count);
  std::memcpy(values.data(), in.data() + at, bytes);
  at += bytes;
}

}  // namespace

comm::Range unit_rows(std::uint64_t items, std::uint64_t rows_per_unit, std::uint64_t unit) {
  const std::uint64_t begin = std::min(items, unit * rows_per_unit);
  return {begin, std::min(items, begin + rows_per_unit)};
}

std::uint64_t unit_count(std::uint64_t items, std::uint64_t rows_per_unit) {
  return (items + rows_per_unit - 1) / rows_per_unit;
}

fs::path Checkpoint::folder_for(const fs::path& output) {
  return partial_folder_for(output);
}

void Checkpoint::prepare(const fs::path& folder, const nlohmann::json& settings, bool resume,
                         bool discard) {
  prepare_partial_folder(folder, settings, resume, discard);
}

fs::path Checkpoint::unit_path(std::uint64_t unit) const {
  return folder_ / fmt::format("unit-{:06}.bin", unit);
}

std::vector<bool> Checkpoint::committed(std::uint64_t units) const {
  std::vector<bool> done(units, false);
  for (std::uint64_t unit = 0; unit < units; ++unit) done[unit] = fs::exists(unit_path(unit));
  return done;
}

void Checkpoint::commit(const UnitResult& result) const {
  UnitHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.unit = result.unit;
  header.first_row = result.first_row;
  header.count = result.count;
  header.classes = result.classes;
  header.embedding_dim = result.embedding_dim;
  header.acquisitions = result.scores.size();
  const auto& d = result.detections;
  header.detections_present = d.present;
  header.keypoints = d.keypoints;
  header.detection_probs = d.has_probs;
  header.detections = d.total();
  std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
  put(bytes, result.ids);
  put(bytes, result.pred);
  put(bytes, result.probs);
  put(bytes, result.embeddings);
  for (const auto& column : result.scores) put(bytes, column);
  if (d.present) {
    put(bytes, d.offsets);
    put(bytes, d.boxes);
    put(bytes, d.labels);
    put(bytes, d.confidence);
    put(bytes, d.probs);
    put(bytes, d.keypoints_xyc);
  }
  // Temporary then rename: a unit file exists only once it is whole and on disk.
  write_file_atomically(unit_path(result.unit), bytes);
}

UnitResult Checkpoint::load(std::uint64_t unit) const {
  const auto path = unit_path(unit);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const UnitHeader header = read_header(bytes, unit, path);
  UnitResult result;
  result.unit = unit;
  result.first_row = header.first_row;
  result.count = header.count;
  result.classes = header.classes;
  result.embedding_dim = header.embedding_dim;
  std::size_t at = sizeof header;
  take(bytes, at, result.ids, header.count, path);
  take(bytes, at, result.pred, header.count, path);
  take(bytes, at, result.probs, header.count * header.classes, path);
  take(bytes, at, result.embeddings, header.count * header.embedding_dim, path);
  result.scores.resize(header.acquisitions);
  for (auto& column : result.scores) take(bytes, at, column, header.count, path);
  auto& d = result.detections;
  d.reset(header.detections_present != 0, header.keypoints, header.detection_probs != 0);
  if (d.present) {
    const std::uint64_t m = header.detections;
    take(bytes, at, d.offsets, header.count + 1, path);
    take(bytes, at, d.boxes, m * 4, path);
    take(bytes, at, d.labels, m, path);
    take(bytes, at, d.confidence, m, path);
    take(bytes, at, d.probs, d.has_probs ? m * header.classes : 0, path);
    take(bytes, at, d.keypoints_xyc, m * header.keypoints * 3, path);
  }
  return result;
}

std::uint64_t Checkpoint::detections_in(std::uint64_t unit) const {
  const auto path = unit_path(unit);
  return read_header(read_bytes(path, sizeof(UnitHeader)), unit, path).detections;
}

void Checkpoint::remove() const {
  fs::remove_all(folder_);
}

}  // namespace quarry::score
