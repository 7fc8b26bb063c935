#pragma once
// The pool file contract (DESIGN.md): /images uint8 [N,C,H,W] or /features float32 [N,D],
// /ids uint64 [N], optional /labels int32 [N] (-1 unknown); attributes quarry_format="pool/2",
// classes, source, task (and for pools with objects the datasets and attributes of objects.hpp).
// A pool/1 file reads as a pool/2 file with task = classify. Chunked along N only.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "files/pool/objects.hpp"
#include "h5/file.hpp"

namespace quarry::pool {

inline constexpr const char* kFormat = "pool/2";
inline constexpr const char* kFormatClassifyOnly = "pool/1";  // still read: task = classify
inline constexpr const char* kImages = "/images";
inline constexpr const char* kFeatures = "/features";
inline constexpr const char* kIds = "/ids";
inline constexpr const char* kLabels = "/labels";
inline constexpr std::int32_t kUnknownLabel = -1;

enum class Kind { images, features };

struct ItemShape {
  Kind kind = Kind::images;
  std::vector<std::uint64_t> dims;  // {C, H, W} for images, {D} for features

  std::uint64_t elements() const;
  std::uint64_t bytes() const;   // per item, as stored
  std::string describe() const;  // "1x28x28 uint8" / "512 float32"
  const char* dataset() const { return kind == Kind::images ? kImages : kFeatures; }
};

// Parses "CxHxW" (images) as given to `pool synth --shape`; InputError-free: UsageError.
ItemShape parse_image_shape(const std::string& text);

struct PoolMeta {
  std::uint64_t count = 0;
  ItemShape shape;
  std::vector<std::string> classes;
  std::string source;
  bool has_labels = false;
  std::uint64_t chunk_rows = 0;  // rows per chunk of the item dataset (0: contiguous)
  TaskInfo task;
  bool has_sources = false;  // /source/paths and /source/transform (see read_sources)
};

// Rows per chunk: the largest power of two whose chunk stays within HDF5's default 1 MiB
// chunk cache, so sequential row reads never decode a chunk twice.
std::uint64_t default_chunk_rows(std::uint64_t item_bytes);

// An opened pool, validated against the contract (dtype, rank, lengths, attributes). Reading
// every id to prove uniqueness costs a pass over /ids: `check_contents` does that on request.
class PoolFile {
 public:
  static PoolFile open(const std::filesystem::path& path,
                       const h5::FileAccess& access = h5::FileAccess::serial());

  const PoolMeta& meta() const { return meta_; }
  const std::filesystem::path& path() const { return file_.path(); }
  const h5::File& file() const { return file_; }
  const h5::Dataset& items() const { return items_; }
  const h5::Dataset& ids() const { return ids_; }
  const std::optional<h5::Dataset>& labels() const { return labels_; }

  // Reads all ids, labels and objects: duplicate ids, labels outside [-1, classes) and objects
  // that break the contract (see check_objects) are InputErrors.
  void check_contents() const;

 private:
  PoolFile(h5::File file, h5::Dataset items, h5::Dataset ids, std::optional<h5::Dataset> labels,
           PoolMeta meta);
  h5::File file_;
  h5::Dataset items_;
  h5::Dataset ids_;
  std::optional<h5::Dataset> labels_;
  PoolMeta meta_;
};

// Shared by the writer and PoolFile::check_contents: `file` names the pool in messages.
void check_unique_ids(const std::string& file, std::span<const std::uint64_t> ids);
void check_label_range(const std::string& file, std::span<const std::int32_t> labels,
                       std::size_t class_count);

}  // namespace quarry::pool
