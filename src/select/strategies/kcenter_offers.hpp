#pragma once
// What the ranks exchange at each synchronisation of the distributed k-center greedy: every rank
// sends a bound (the best candidate it did not offer) and a fixed number of offers, each a head of
// numbers and the candidate's fp16 embedding, all in one MPI_Allgather of equal-sized blocks.
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "comm/communicator.hpp"
#include "core/float16.hpp"
#include "select/distributed/agree.hpp"

namespace quarry::select {

// An offer's numbers, sent as bytes: the candidate's priority and id (an invalid Ranked marks an
// empty slot), its row on the offering rank, its squared distance to the nearest center, its
// acquisition value and weight.
struct OfferHead {
  Ranked ranked;
  std::uint32_t row = 0;
  float d2 = 0, score = 0, weight = 1;
};
static_assert(std::is_trivially_copyable_v<OfferHead>);

// An offer as received.
struct Offer {
  OfferHead head;
  int owner = 0;                       // the rank that holds the candidate
  const Float16* embedding = nullptr;  // dim values, inside the exchange's buffer
  bool taken = false;
};

class OfferExchange {
 public:
  OfferExchange(const comm::Communicator& comm, std::size_t dim, std::size_t slots);

  // This rank offers nothing and has no bound until set below.
  void clear();
  void set_bound(const Ranked& bound);
  void set_offer(std::size_t slot, const OfferHead& head, const Float16* embedding);

  // Collective: every rank's block to every rank.
  void exchange();

  // After exchange(): the best bound over all ranks (invalid when no rank held one back), and
  // every offer made, in rank order. Offers point into this exchange's buffer: use them before
  // the next exchange().
  Ranked bound() const;
  std::vector<Offer> offers();

 private:
  std::uint8_t* slot_at(std::vector<std::uint8_t>& blocks, int rank, std::size_t slot);

  const comm::Communicator& comm_;
  std::size_t dim_, slots_, slot_bytes_, block_bytes_;
  int block_count_;  // block_bytes_ as an MPI count, checked before anything is allocated
  std::vector<std::uint8_t> mine_, all_;
};

}  // namespace quarry::select
