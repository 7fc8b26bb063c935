#pragma once
// The scores file contract (DESIGN.md): /ids uint64 [N], /pred int32 [N], /probs float16 [N,C],
// /embeddings float16 [N,D], /scores/<name> float32 [N] (higher = more informative); attributes
// quarry_format="scores/1", classes, pool, pool_items, model, model_sha256, ranks,
// acquisitions, mc_samples, quarry_version. Rows follow the pool's row order.
//
// Torch-free (its own library), so select/ and export/ read scores without linking LibTorch.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "h5/file.hpp"

namespace quarry::score {

inline constexpr const char* kScoresFormat = "scores/1";
inline constexpr const char* kIds = "/ids";
inline constexpr const char* kPred = "/pred";
inline constexpr const char* kProbs = "/probs";
inline constexpr const char* kEmbeddings = "/embeddings";
inline constexpr const char* kScoresGroup = "/scores";

// "/scores/margin"
std::string score_dataset(const std::string& acquisition);

struct ScoresMeta {
  std::uint64_t count = 0;
  std::uint64_t classes = 0;        // C
  std::uint64_t embedding_dim = 0;  // D
  std::vector<std::string> class_names;
  std::vector<std::string> acquisitions;  // names under /scores, in file order
  std::string pool;                       // pool path as given to `quarry score`
  std::string model;
  std::string model_sha256;
  std::int32_t ranks = 0;
  std::int32_t mc_samples = 0;
  std::string quarry_version;
};

// Creates every dataset and attribute of the contract, sized for `meta.count` rows and chunked
// along rows, in a file opened for writing (serially or with MPI-IO, then collectively).
void create_scores_layout(h5::File& file, const ScoresMeta& meta, std::uint64_t chunk_rows);

// An opened scores file, validated against the contract (types, shapes, attributes).
class ScoresFile {
 public:
  // Checks the file against its manifest and, in a child process, that HDF5 can read it (see
  // h5/input_guard.hpp) before opening it here.
  static ScoresFile open(const std::filesystem::path& path,
                         const h5::FileAccess& access = h5::FileAccess::serial());

  const ScoresMeta& meta() const { return meta_; }
  const std::filesystem::path& path() const { return file_.path(); }
  const h5::File& file() const { return file_; }
  h5::Dataset ids() const { return file_.open_dataset(kIds); }
  h5::Dataset pred() const { return file_.open_dataset(kPred); }
  h5::Dataset probs() const { return file_.open_dataset(kProbs); }
  h5::Dataset embeddings() const { return file_.open_dataset(kEmbeddings); }
  // InputError naming the file and the acquisitions it has when `name` was not computed.
  h5::Dataset score(const std::string& name) const;

 private:
  static ScoresFile open_checked(const std::filesystem::path& path, const h5::FileAccess& access);
  ScoresFile(h5::File file, ScoresMeta meta) : file_(std::move(file)), meta_(std::move(meta)) {}
  h5::File file_;
  ScoresMeta meta_;
};

}  // namespace quarry::score
