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

constexpr char kMagic[8] = {'Q', 'S', 'C', 'U', 'N', 'I', 'T', '1'};

struct UnitHeader {
  char magic[8];
  std::uint64_t unit, first_row, count, classes, embedding_dim, acquisitions;
};

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
  std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
  put(bytes, result.ids);
  put(bytes, result.pred);
  put(bytes, result.probs);
  put(bytes, result.embeddings);
  for (const auto& column : result.scores) put(bytes, column);
  // Temporary then rename: a unit file exists only once it is whole and on disk.
  write_file_atomically(unit_path(result.unit), bytes);
}

UnitResult Checkpoint::load(std::uint64_t unit) const {
  const auto path = unit_path(unit);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  UnitHeader header{};
  if (bytes.size() < sizeof header)
    throw Error("checkpoint unit " + path.string() + " is truncated");
  std::memcpy(&header, bytes.data(), sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.unit != unit)
    throw Error("checkpoint unit " + path.string() + " is not a unit file of this run");
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
  return result;
}

void Checkpoint::remove() const {
  fs::remove_all(folder_);
}

}  // namespace quarry::score
