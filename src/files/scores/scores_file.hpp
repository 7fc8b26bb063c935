#pragma once
// The scores file contract (DESIGN.md): /ids uint64 [N], /pred int32 [N], /probs float16 [N,C],
// /embeddings float16 [N,D], /scores/<name> float32 [N] (higher = more informative); attributes
// quarry_format="scores/1", classes, pool, pool_items, model, model_sha256, ranks,
// acquisitions, mc_samples, quarry_version. Rows follow the pool's row order.
//
// Scores of a pool with objects (DESIGN.md "Scores file for objects") add attribute task
// ("detect" | "keypoints"; absent means classify) and the detections as one ragged table:
// /detections/offsets uint64 [N+1] (row i owns detections offsets[i]..offsets[i+1], in
// decreasing confidence), /detections/boxes float32 [M,4] (x0,y0,x1,y1 in pixels of the stored
// image), /detections/labels int32 [M], /detections/confidence float16 [M], and where the model
// gives them /detections/probs float16 [M,C] and /detections/keypoints float32 [M,K,3] (x, y,
// confidence). /pred is then the label of the row's most confident detection (-1: none) and
// /probs each class's presence (its most confident detection's confidence, 0: none).
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
inline constexpr const char* kDetectionsGroup = "/detections";
inline constexpr const char* kDetectionOffsets = "/detections/offsets";
inline constexpr const char* kDetectionBoxes = "/detections/boxes";
inline constexpr const char* kDetectionLabels = "/detections/labels";
inline constexpr const char* kDetectionConfidence = "/detections/confidence";
inline constexpr const char* kDetectionProbs = "/detections/probs";
inline constexpr const char* kDetectionKeypoints = "/detections/keypoints";

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
  // Pools with objects: the pool's task, the detections' total M, keypoints K and whether the
  // model gave per-detection class probabilities.
  std::string task = "classify";
  std::uint64_t detections = 0;
  std::uint64_t keypoints = 0;
  bool detection_probs = false;

  bool has_detections() const { return task != "classify"; }
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
