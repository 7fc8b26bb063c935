#pragma once
// What scoring produces for one work unit (a run of consecutive pool rows), column by column as
// the scores file stores it. Torch-free.
#include <cstdint>
#include <vector>

#include "core/float16.hpp"

namespace quarry::score {

struct UnitResult {
  std::uint64_t unit = 0;
  std::uint64_t first_row = 0;
  std::uint64_t count = 0;
  std::uint64_t classes = 0;
  std::uint64_t embedding_dim = 0;
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> pred;
  std::vector<Float16> probs;              // count x classes
  std::vector<Float16> embeddings;         // count x embedding_dim
  std::vector<std::vector<float>> scores;  // one column per acquisition, count each

  void reset(std::uint64_t unit_index, std::uint64_t first, std::uint64_t rows,
             std::uint64_t class_count, std::uint64_t embedding_size, std::size_t acquisitions) {
    unit = unit_index;
    first_row = first;
    count = rows;
    classes = class_count;
    embedding_dim = embedding_size;
    ids.assign(count, 0);
    pred.assign(count, 0);
    probs.assign(count * classes, Float16{});
    embeddings.assign(count * embedding_dim, Float16{});
    scores.assign(acquisitions, std::vector<float>(count, 0.0f));
  }
};

}  // namespace quarry::score
