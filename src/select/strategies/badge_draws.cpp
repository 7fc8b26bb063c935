#include "select/strategies/badge_draws.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/seeded.hpp"
#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace {

// Draw streams (the `draw` of keyed_uniform), apart from each other and from step numbers.
constexpr std::uint64_t kBlockStream = 1ull << 48, kRowStream = 2ull << 48,
                        kAcceptStream = 3ull << 48;
// Blocks: at least this many rows, and at most kMaxBlocks of them (the race between blocks is
// run by every rank for every proposal).
constexpr std::uint64_t kMinBlockRows = 1024, kMaxBlocks = 512;

struct RecordHead {
  double key;
  std::uint64_t id, proposal;
  std::uint32_t row;
  float weight, score, a2, h2;
  std::int32_t owner;
  double d2, q;
};

double race_key(double mass, double u) {
  return mass / -std::log(u);
}

}  // namespace

BadgeDraws::BadgeDraws(const comm::Communicator& comm, const Shard& shard,
                       const GradientFactors& factors, std::uint64_t seed,
                       const std::vector<float>& weight)
    : comm_(comm),
      shard_(shard),
      f_(factors),
      seed_(seed),
      weight_(weight),
      block_(std::max(kMinBlockRows, (shard.meta.count + kMaxBlocks - 1) / kMaxBlocks)),
      q_(shard.size(), 0.0),
      blocks_((shard.meta.count + block_ - 1) / block_, 0) {}

std::size_t BadgeDraws::record_bytes() const {
  return sizeof(RecordHead) + f_.classes * sizeof(float) + shard_.dim() * sizeof(Float16);
}

void BadgeDraws::encode(const BadgeRows& rows, std::uint32_t row, const Ranked& ranked,
                        std::uint64_t proposal, std::uint8_t* out) const {
  const RecordHead head{ranked.key,      ranked.id,
                        proposal,        row,
                        weight(row),     acquisition_of(shard_, row),
                        f_.a_norm2[row], f_.h_norm2[row],
                        comm_.rank(),    rows.d2(row),
                        q_[row]};
  std::memcpy(out, &head, sizeof head);
  std::memcpy(out + sizeof head, f_.a_of(row), f_.classes * sizeof(float));
  std::memcpy(out + sizeof head + f_.classes * sizeof(float), shard_.embedding(row),
              shard_.dim() * sizeof(Float16));
}

BadgeOffer BadgeDraws::decode(const std::uint8_t* bytes) const {
  RecordHead head;
  std::memcpy(&head, bytes, sizeof head);
  BadgeOffer offer;
  offer.ranked = {head.key, head.id};
  offer.proposal = head.proposal;
  offer.owner = head.owner;
  offer.row = head.row;
  offer.d2 = head.d2;
  offer.q = head.q;
  offer.weight = head.weight;
  offer.score = head.score;
  auto& p = offer.point;
  p.a2 = head.a2;
  p.h2 = head.h2;
  p.a.resize(f_.classes);
  std::memcpy(p.a.data(), bytes + sizeof head, f_.classes * sizeof(float));
  p.h16.resize(shard_.dim());
  std::memcpy(p.h16.data(), bytes + sizeof head + f_.classes * sizeof(float),
              shard_.dim() * sizeof(Float16));
  p.h.resize(shard_.dim());
  distance_kernels().widen(p.h16.data(), shard_.dim(), p.h.data());
  return offer;
}

BadgeOffer BadgeDraws::agree_on(const BadgeRows& rows, const Ranked& best, std::uint32_t row) {
  std::vector<std::uint8_t> mine(record_bytes()), winner(record_bytes());
  if (best.valid()) encode(rows, row, best, 0, mine.data());
  const Winner w = agree_best(comm_, best, mine, winner);
  if (w.rank < 0) return {};
  return decode(winner.data());
}

bool BadgeDraws::freeze(const BadgeRows& rows) {
  double largest = 0;
  for (const auto row : rows.candidates())
    if (rows.open(row)) largest = std::max(largest, double(weight(row)) * rows.d2(row));
  largest = comm_.allreduce(largest, comm::Op::max);
  if (!(largest > 0)) return false;
  // Every q is below 2^(61 - bits(count)) + 1, so their sum stays below 2^62.
  const int bits = std::bit_width(shard_.meta.count);
  scale_ = std::ldexp(1.0, 61 - std::ilogb(largest) - 1 - bits);
  std::fill(blocks_.begin(), blocks_.end(), 0);
  std::fill(q_.begin(), q_.end(), 0.0);
  for (const auto row : rows.candidates()) {
    if (!rows.open(row)) continue;
    q_[row] = std::ceil(double(weight(row)) * rows.d2(row) * scale_);
    blocks_[block_of_row(row)] += std::uint64_t(q_[row]);
  }
  comm_.allreduce(std::span(blocks_), comm::Op::sum);
  return true;
}

std::uint64_t BadgeDraws::race_blocks(std::uint64_t proposal) const {
  Ranked best;
  for (std::uint64_t b = 0; b < blocks_.size(); ++b) {
    if (blocks_[b] == 0) continue;
    const Ranked mine{
        race_key(double(blocks_[b]), keyed_uniform(seed_, b, kBlockStream + proposal)), b};
    if (ranks_before(mine, best)) best = mine;
  }
  return best.id;
}

Ranked BadgeDraws::race_rows(std::uint64_t block, std::uint64_t proposal,
                             std::uint32_t& row) const {
  Ranked best;
  const std::uint64_t first = shard_.first_row, n = shard_.size();
  const std::uint64_t begin = std::max(block * block_, first),
                      end = std::min((block + 1) * block_, first + n);
  for (std::uint64_t global = begin; global < end; ++global) {
    const auto at = std::uint32_t(global - first);
    if (q_[at] == 0) continue;
    const std::uint64_t id = shard_.ids[at];
    const Ranked mine{race_key(q_[at], keyed_uniform(seed_, id, kRowStream + proposal)), id};
    if (ranks_before(mine, best)) best = mine, row = at;
  }
  return best;
}

std::vector<BadgeOffer> BadgeDraws::propose(const BadgeRows& rows, std::uint64_t first,
                                            std::size_t count) {
  const std::size_t each = record_bytes();
  std::vector<std::uint8_t> mine;
  for (std::uint64_t proposal = first; proposal < first + count; ++proposal) {
    std::uint32_t row = 0;
    const Ranked best = race_rows(race_blocks(proposal), proposal, row);
    if (!best.valid()) continue;
    mine.resize(mine.size() + each);
    encode(rows, row, best, proposal, mine.data() + mine.size() - each);
  }
  const auto all = comm_.allgatherv<std::uint8_t>(mine);
  // A block split between ranks sends one offer from each: the race's winner is the best.
  std::vector<BadgeOffer> offers(count);
  for (std::size_t at = 0; at < all.size(); at += each) {
    BadgeOffer offer = decode(all.data() + at);
    BadgeOffer& slot = offers[offer.proposal - first];
    if (slot.owner < 0 || ranks_before(offer.ranked, slot.ranked)) slot = std::move(offer);
  }
  return offers;
}

bool BadgeDraws::accept(const BadgeOffer& offer, double d2_now) const {
  const double u = keyed_uniform(seed_, offer.ranked.id, kAcceptStream + offer.proposal);
  return u * offer.q < double(offer.weight) * d2_now * scale_;
}

}  // namespace quarry::select
