#pragma once
// `quarry select`: read this rank's shard of a scores file, drop excluded items, run a strategy
// over all ranks and publish the selection file (rank 0, atomically, with a manifest).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "core/atomic_output.hpp"
#include "files/selection/selection_file.hpp"
#include "select/strategies/registry.hpp"

namespace quarry::select {

// The default strategy, chosen from the learning curves in docs/simulate.md:
// on Fashion-MNIST, three seeds, topk reached random's 5,500-label accuracy with 2,310 labels
// (2.38x), margin-kcenter with 2,575 (2.15x, and a wider spread over seeds).
inline constexpr Strategy kDefaultStrategy = Strategy::topk;

struct SelectOptions {
  std::filesystem::path scores;
  std::filesystem::path out;
  std::size_t k = 0;
  Strategy strategy = kDefaultStrategy;
  std::string acquisition = "margin";
  std::optional<std::filesystem::path> labels;       // the ledger
  std::vector<std::filesystem::path> exclude;        // earlier selection files (pending items)
  std::optional<std::filesystem::path> target_pool;  // scores file of the target domain
  bool balance = false;
  std::uint64_t seed = 0;
  // Uncertainty pre-filter size M (margin-kcenter, cluster-margin); 0: candidate_count's default.
  std::size_t candidates = 0;
  std::size_t clusters = 0;  // cluster-margin: 0 picks a size from the pool
  // cluster-margin: an earlier model's clustering of the same items (another round's
  // SCORES.clusters.h5) that starts Lloyd warm when the scores file has no cache of its own.
  std::optional<std::filesystem::path> warm_clusters;
  Overwrite overwrite = Overwrite::refuse;

  bool operator==(const SelectOptions&) const = default;
};

// The pre-filter size M that `candidates` asks for: itself, or 2 x k when 0. A wide filter lets
// the diversity step reach far into the certain items: on Fashion-MNIST (batches of 500)
// margin-kcenter needed 3,226 labels to reach random's 5,500-label accuracy with M = 1,000 and
// 4,192 with M = 10,000 (docs/simulate.md).
std::size_t candidate_count(std::size_t k, std::size_t candidates);

// Collective: the selection, identical on every rank.
Selection select_batch(const comm::Communicator& comm, const SelectOptions& options);

// Collective: select_batch, then rank 0 publishes the file and its manifest.
Selection run_select(const comm::Communicator& comm, const SelectOptions& options);

}  // namespace quarry::select
