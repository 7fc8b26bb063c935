#pragma once
// What every strategy returns: items in pick order with the acquisition value and the strategy's
// reason, plus the objective it reached (see the selection file contract).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "core/float16.hpp"
#include "select/input/shard.hpp"

namespace quarry::select {

struct Pick {
  std::uint64_t id = 0;
  float score = std::numeric_limits<float>::quiet_NaN();  // acquisition value (NaN: not scored)
  float reason = 0;
};

struct PickList {
  std::vector<Pick> picks;
  double objective = 0;
  std::string reason_meaning;
};

// The acquisition value of a local row (NaN when the shard has no acquisition loaded).
inline float acquisition_of(const Shard& shard, std::size_t row) {
  return shard.acquisition.empty() ? std::numeric_limits<float>::quiet_NaN()
                                   : shard.acquisition[row];
}

// Collective: the fp16 embeddings of the given local rows of every rank, in rank order.
std::vector<Float16> gather_embeddings(const comm::Communicator& comm, const Shard& shard,
                                       const std::vector<std::uint32_t>& rows);
// The same for any fp16 matrix of `width` values per row.
std::vector<Float16> gather_halves(const comm::Communicator& comm,
                                   const std::vector<Float16>& values, std::size_t width,
                                   const std::vector<std::uint32_t>& rows);

}  // namespace quarry::select
