#include "select/strategies/kcenter_offers.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstring>

#include "comm/mpi_count.hpp"

namespace quarry::select {

// A block: the bound, then `slots` slots of OfferHead and embedding.
OfferExchange::OfferExchange(const comm::Communicator& comm, std::size_t dim, std::size_t slots)
    : comm_(comm),
      dim_(dim),
      slots_(slots),
      slot_bytes_(sizeof(OfferHead) + dim * sizeof(Float16)),
      block_bytes_(sizeof(Ranked) + slots * slot_bytes_),
      block_count_(comm::mpi_count(block_bytes_, "k-center: one rank's block of offers (bytes)")),
      mine_(block_bytes_),
      all_(block_bytes_ * std::size_t(comm.size())) {}

std::uint8_t* OfferExchange::slot_at(std::vector<std::uint8_t>& blocks, int rank,
                                     std::size_t slot) {
  return blocks.data() + std::size_t(rank) * block_bytes_ + sizeof(Ranked) + slot * slot_bytes_;
}

void OfferExchange::clear() {
  set_bound(Ranked{});
  for (std::size_t slot = 0; slot < slots_; ++slot) set_offer(slot, OfferHead{}, nullptr);
}

void OfferExchange::set_bound(const Ranked& bound) {
  std::memcpy(mine_.data(), &bound, sizeof bound);
}

void OfferExchange::set_offer(std::size_t slot, const OfferHead& head, const Float16* embedding) {
  std::uint8_t* at = slot_at(mine_, 0, slot);
  std::memcpy(at, &head, sizeof head);
  if (embedding) std::memcpy(at + sizeof head, embedding, dim_ * sizeof(Float16));
}

void OfferExchange::exchange() {
  MPI_Allgather(mine_.data(), block_count_, MPI_BYTE, all_.data(), block_count_, MPI_BYTE,
                comm_.raw());
}

Ranked OfferExchange::bound() const {
  Ranked best;
  for (int r = 0; r < comm_.size(); ++r) {
    Ranked bound;
    std::memcpy(&bound, all_.data() + std::size_t(r) * block_bytes_, sizeof bound);
    if (bound.valid() && ranks_before(bound, best)) best = bound;
  }
  return best;
}

std::vector<Offer> OfferExchange::offers() {
  std::vector<Offer> offers;
  for (int r = 0; r < comm_.size(); ++r)
    for (std::size_t slot = 0; slot < slots_; ++slot) {
      const std::uint8_t* at = slot_at(all_, r, slot);
      Offer offer;
      std::memcpy(&offer.head, at, sizeof offer.head);
      if (!offer.head.ranked.valid()) continue;
      offer.owner = r;
      offer.embedding = reinterpret_cast<const Float16*>(at + sizeof offer.head);
      offers.push_back(offer);
    }
  return offers;
}

}  // namespace quarry::select
