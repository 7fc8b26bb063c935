#pragma once
// This rank's rows of a scores file: ids, predictions, and (only when a strategy needs them) the
// fp16 embeddings, fp16 probabilities and one acquisition score. Each rank reads its own
// contiguous, chunk-aligned row range with the serial driver (read-only, no collective I/O).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "core/float16.hpp"
#include "files/scores/scores_file.hpp"

namespace quarry::select {

struct ShardRequest {
  bool embeddings = false;
  bool probs = false;
  std::string acquisition;            // name under /scores
  bool acquisition_required = false;  // otherwise absent acquisitions leave `acquisition` empty
};

struct Shard {
  std::string path;  // the scores file
  score::ScoresMeta meta;
  std::uint64_t first_row = 0;  // global row of local row 0
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> pred;
  std::vector<Float16> embeddings;  // [size, meta.embedding_dim] when requested
  std::vector<Float16> probs;       // [size, meta.classes] when requested
  std::vector<float> acquisition;   // [size] when requested and present
  bool has_acquisition = false;     // the same on every rank (a rank may hold no rows)

  std::size_t size() const { return ids.size(); }
  std::size_t dim() const { return meta.embedding_dim; }
  const Float16* embedding(std::size_t row) const { return embeddings.data() + row * dim(); }
};

// Collective. Bad input (a missing file, a missing acquisition, non-finite embeddings or
// probabilities: the message names up to five ids) is raised on every rank alike.
Shard read_shard(const comm::Communicator& comm, const std::filesystem::path& scores,
                 const ShardRequest& request);

// Every row whose values hold infinity or NaN (fp16 exponent all ones), as item ids.
std::vector<std::uint64_t> rows_not_finite(const std::vector<Float16>& values, std::size_t width,
                                           const std::vector<std::uint64_t>& ids);

}  // namespace quarry::select
