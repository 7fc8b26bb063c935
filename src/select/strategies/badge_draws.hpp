#pragma once
// BADGE's D^2 draws in batches, exact and the same for any rank count. At a synchronisation the
// masses m = w D^2 of the open rows are frozen as integers q = ceil(m 2^s) (s from the global
// largest mass, so their sum fits 63 bits) and a batch of proposals is drawn from q: each a race
// between fixed blocks of the global row order (block sums are exact integer all-reduces) and
// then between the rows of the chosen block (the largest q / E wins, E = -log u(seed, id, draw):
// the exponential race), so a proposal is row i with probability q_i / sum q. The owners send
// each proposal's bytes in one all-gather. Every rank then replays the picks alone: a proposal
// is accepted with probability m_i(now) / (q_i 2^-s) <= 1, m_i(now) its mass after the picks
// accepted since the synchronisation. That is rejection sampling from the frozen distribution,
// which is exactly D^2 sampling at every step, however many picks a batch makes.
#include <cstdint>
#include <span>
#include <vector>

#include "comm/communicator.hpp"
#include "select/distributed/agree.hpp"
#include "select/strategies/badge_rows.hpp"
#include "select/strategies/picks.hpp"

namespace quarry::select {

// A row as every rank learns it: where it lives, its frozen D^2 and mass bound, its factors.
struct BadgeOffer {
  Ranked ranked;  // its key in the race that chose it, and its item id
  std::uint64_t proposal = 0;
  int owner = -1;
  std::uint32_t row = 0;
  double d2 = 0;  // D^2 when offered
  double q = 0;   // frozen mass bound, in units of 2^-s
  float weight = 1, score = 0;
  GradientPoint point;
};

class BadgeDraws {
 public:
  BadgeDraws(const comm::Communicator& comm, const Shard& shard, const GradientFactors& factors,
             std::uint64_t seed, const std::vector<float>& weight);

  // Collective: this rank's best row by `key(row)` over its open rows (ties by id), as every rank
  // learns it; owner -1 when no rank has an open row.
  template <class Key>
  BadgeOffer agree(const BadgeRows& rows, Key key) {
    Ranked best;
    std::uint32_t at = 0;
    for (const auto row : rows.candidates())
      if (rows.open(row) && ranks_before({key(row), shard_.ids[row]}, best))
        best = {key(row), shard_.ids[row]}, at = row;
    return agree_on(rows, best, at);
  }

  // Collective: freezes the open rows' masses; false when every one is 0 (nothing to draw).
  bool freeze(const BadgeRows& rows);
  // Collective: proposals first .. first + count - 1 from the frozen masses, in order.
  std::vector<BadgeOffer> propose(const BadgeRows& rows, std::uint64_t first, std::size_t count);
  // Whether the replay accepts `offer` when its D^2 has fallen to `d2_now` (the same on every
  // rank: a seeded draw against exact inputs).
  bool accept(const BadgeOffer& offer, double d2_now) const;

  float weight(std::uint32_t row) const { return weight_.empty() ? 1.0f : weight_[row]; }

 private:
  BadgeOffer agree_on(const BadgeRows& rows, const Ranked& best, std::uint32_t row);
  void encode(const BadgeRows& rows, std::uint32_t row, const Ranked& ranked,
              std::uint64_t proposal, std::uint8_t* out) const;
  BadgeOffer decode(const std::uint8_t* bytes) const;
  std::size_t record_bytes() const;
  std::uint64_t block_of_row(std::uint32_t row) const { return (shard_.first_row + row) / block_; }
  // The race inside `block` over this rank's rows; invalid when it holds none with mass.
  Ranked race_rows(std::uint64_t block, std::uint64_t proposal, std::uint32_t& row) const;
  std::uint64_t race_blocks(std::uint64_t proposal) const;

  const comm::Communicator& comm_;
  const Shard& shard_;
  const GradientFactors& f_;
  std::uint64_t seed_;
  const std::vector<float>& weight_;
  std::uint64_t block_;                // rows per block of the global order
  double scale_ = 1;                   // 2^s
  std::vector<double> q_;              // per local row: ceil(m 2^s), 0 when closed
  std::vector<std::uint64_t> blocks_;  // per global block: sum of q (all ranks)
};

}  // namespace quarry::select
