#pragma once
// Scores files with known structure for selection tests, written through the real contract
// (score::create_scores_layout), so tests need no model and no torch.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/float16.hpp"
#include "files/ledger/ledger.hpp"
#include "files/scores/scores_file.hpp"
#include "h5/file.hpp"

namespace quarry::testing {

struct ScoresFixture {
  std::vector<std::uint64_t> ids;
  std::vector<float> embeddings;  // [n, dim], rounded to fp16 when written
  std::vector<float> probs;       // [n, classes]
  std::vector<float> margin;      // /scores/margin (higher = more uncertain)
  std::size_t dim = 0;
  std::size_t classes = 0;
  std::size_t size() const { return ids.size(); }

  // The embedding as the file stores it (fp16-rounded), in float64 for references.
  double value(std::size_t row, std::size_t j) const {
    return double(to_float32(to_float16(embeddings[row * dim + j])));
  }
};

// `blobs` Gaussian clusters in `dim` dimensions (centers ~N(0, spread^2), items ~N(center, 1)),
// probabilities peaked on the item's blob class with seeded noise, margin = 1 - (p1 - p2).
// Ids are shuffled and sparse so nothing can depend on row order.
inline ScoresFixture make_blobs(std::size_t n, std::size_t dim, std::size_t blobs,
                                std::uint64_t seed, double spread = 6.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  ScoresFixture f;
  f.dim = dim;
  f.classes = blobs;
  std::vector<double> centers(blobs * dim);
  for (auto& c : centers) c = spread * normal(rng);
  for (std::size_t i = 0; i < n; ++i) f.ids.push_back(1000 + 7 * i);
  std::shuffle(f.ids.begin(), f.ids.end(), rng);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t blob = i % blobs;
    for (std::size_t j = 0; j < dim; ++j)
      f.embeddings.push_back(float(centers[blob * dim + j] + normal(rng)));
    std::vector<double> p(blobs);
    double sum = 0;
    for (std::size_t c = 0; c < blobs; ++c)
      sum += p[c] = uniform(rng) + (c == blob ? 2.0 * uniform(rng) : 0.0);
    std::vector<float> row;
    for (std::size_t c = 0; c < blobs; ++c) row.push_back(float(p[c] / sum));
    f.probs.insert(f.probs.end(), row.begin(), row.end());
    std::vector<float> sorted = row;
    std::sort(sorted.rbegin(), sorted.rend());
    f.margin.push_back(1.0f - (sorted[0] - (blobs > 1 ? sorted[1] : 0.0f)));
  }
  return f;
}

inline std::vector<Float16> to_half(const std::vector<float>& values) {
  std::vector<Float16> half;
  for (const float v : values) half.push_back(to_float16(v));
  return half;
}

inline void write_scores(const std::filesystem::path& path, const ScoresFixture& f,
                         std::uint64_t chunk_rows = 64,
                         const std::string& model_sha256 = std::string(64, '0')) {
  score::ScoresMeta meta;
  meta.count = f.size();
  meta.classes = f.classes;
  meta.embedding_dim = f.dim;
  for (std::size_t c = 0; c < f.classes; ++c) meta.class_names.push_back("c" + std::to_string(c));
  meta.acquisitions = {"margin"};
  meta.pool = "fixture.h5";
  meta.model = "fixture.pt";
  meta.model_sha256 = model_sha256;
  meta.ranks = 1;
  meta.quarry_version = "test";
  auto file = h5::File::create(path);
  score::create_scores_layout(file, meta, chunk_rows);
  const hsize_t n = f.size();
  std::vector<std::int32_t> pred(n);
  for (std::size_t i = 0; i < n; ++i)
    pred[i] = std::int32_t(std::max_element(f.probs.begin() + long(i * f.classes),
                                            f.probs.begin() + long((i + 1) * f.classes)) -
                           (f.probs.begin() + long(i * f.classes)));
  file.open_dataset(score::kIds).write_rows<std::uint64_t>(0, n, f.ids);
  file.open_dataset(score::kPred).write_rows<std::int32_t>(0, n, pred);
  file.open_dataset(score::kProbs).write_rows<Float16>(0, n, to_half(f.probs));
  file.open_dataset(score::kEmbeddings).write_rows<Float16>(0, n, to_half(f.embeddings));
  file.open_dataset(score::score_dataset("margin")).write_rows<float>(0, n, f.margin);
  file.flush();
}

// A ledger (through the ledger contract's writer) that labels the given rows of the fixture with
// their predicted class.
inline void write_ledger(const std::filesystem::path& path, const ScoresFixture& f,
                         std::vector<std::size_t> rows) {
  ingest::Ledger ledger;
  for (std::size_t c = 0; c < f.classes; ++c) ledger.classes.push_back("c" + std::to_string(c));
  ledger.rounds = 1;
  std::sort(rows.begin(), rows.end(), [&](auto a, auto b) { return f.ids[a] < f.ids[b]; });
  for (const auto row : rows) {
    ledger.ids.push_back(f.ids[row]);
    ledger.labels.push_back(std::int32_t(row % f.classes));
    ledger.confidence.push_back(1.0f);
    ledger.votes.push_back(1);
    ledger.round.push_back(1);
    ledger.source.push_back("fixture");
  }
  ingest::write_ledger(path, ledger);
}

}  // namespace quarry::testing
