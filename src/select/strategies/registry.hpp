#pragma once
// The selection strategies, one table: each strategy's name (as the command line and quarry.ini
// spell it), what it needs from the scores file, and how it runs. Names are parsed once, where
// they enter (the command line, a workspace's settings); past that a strategy is a Strategy.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/float16.hpp"
#include "select/strategies/kmeans.hpp"
#include "select/strategies/picks.hpp"

namespace quarry::select {

enum class Strategy { topk, margin_kcenter, kcenter, random, badge, cluster_margin, typiclust };

struct SelectOptions;

// What a strategy reads beyond ids: embeddings, class probabilities, the acquisition score; and
// whether it takes the uncertainty pre-filter (--candidates) and the labeled and pending items'
// embeddings (kcenter's distances start from them).
struct StrategyNeeds {
  bool embeddings = false;
  bool probs = false;
  bool acquisition = false;
  bool prefilter = false;
  bool covered = false;
};

// What a strategy runs on: the shard, the options, the per-row weights (domain-aware selection,
// empty without a target pool), the covered items' embeddings, and cluster-margin's clustering,
// computed (or loaded) on first use.
struct StrategyInputs {
  const comm::Communicator& comm;
  const Shard& shard;
  const SelectOptions& options;
  std::vector<float> weight;
  std::vector<Float16> covered;
  std::optional<Clustering> clustering;
};

// Collective: picks `k` of the local rows `candidates`.
using StrategyFunction = PickList (*)(StrategyInputs& inputs,
                                      const std::vector<std::uint32_t>& candidates, std::size_t k);

struct StrategyEntry {
  Strategy strategy;
  const char* name;
  StrategyNeeds needs;
  StrategyFunction run;
};

// Every strategy, in the order --help lists them (the default first).
std::span<const StrategyEntry> strategy_table();
const StrategyEntry& entry_of(Strategy strategy);
// UsageError naming the valid strategies when `name` is none of them.
Strategy parse_strategy(const std::string& name);
const char* strategy_name(Strategy strategy);
std::vector<std::string> strategy_names();

}  // namespace quarry::select
