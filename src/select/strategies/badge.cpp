#include "select/strategies/badge.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "comm/progress.hpp"
#include "comm/session.hpp"
#include "core/log.hpp"
#include "select/kernels/distance.hpp"
#include "select/strategies/badge_draws.hpp"

namespace quarry::select {

namespace {

// Proposals per synchronisation: about as many as the picks so far (late in the seeding most
// proposals are accepted, early many are not), at least 8, at most 1024, and not far past k.
std::size_t batch_size(std::size_t picked, std::size_t k) {
  return std::min({std::max<std::size_t>(picked, 8), std::size_t(1024), 2 * (k - picked) + 8});
}

// D^2 of an offered row after a center was picked since the offer was made (the same
// factorised form and kernel as the row's owner uses).
double lowered(const BadgeOffer& offer, double d2, const GradientPoint& center) {
  const auto& p = offer.point;
  const float aa = class_dot(p.a.data(), center.a.data(), p.a.size());
  if (gradient_lower_bound(p.a2, p.h2, aa, center) >= d2) return d2;
  float sq_h = 0;
  distance_kernels().sq_dist_block(p.h16.data(), p.h16.size(), 1, center.h.data(), &sq_h);
  return std::min(d2, gradient_d2(p.a2, p.h2, aa, center, sq_h));
}

class Seeding {
 public:
  Seeding(const comm::Communicator& comm, BadgeRows& rows, BadgeDraws& draws, std::size_t k)
      : comm_(comm), rows_(rows), draws_(draws), k_(k), progress_(comm, "badge", k, "picks") {
    result_.reason_meaning = "gradient-embedding distance to the nearest earlier pick";
  }

  std::size_t count() const { return result_.picks.size(); }

  // Every rank takes the same pick: its owner closes the row, every rank lowers D^2.
  void take(const BadgeOffer& offer, double d2) {
    result_.picks.push_back({offer.ranked.id, offer.score, float(std::sqrt(std::max(0.0, d2)))});
    if (offer.owner == comm_.rank()) rows_.pick(offer.row);
    rows_.add_center(offer.point);
    progress_.advance(comm_.is_root() ? 1 : 0);
  }

  // Replays the D^2 draws on a batch of proposals: each is accepted with probability (its mass
  // now) / (its frozen bound); the batch ends at k picks or when the proposals run out.
  void replay(const std::vector<BadgeOffer>& offers) {
    std::vector<const BadgeOffer*> taken;
    std::vector<double> taken_d2;
    for (const auto& offer : offers) {
      if (count() + taken.size() >= k_) break;
      if (offer.owner < 0) continue;
      double d2 = offer.d2;
      bool again = false;
      for (const auto* center : taken) {
        again = again || center->ranked.id == offer.ranked.id;
        d2 = lowered(offer, d2, center->point);
      }
      if (again || !draws_.accept(offer, d2)) continue;
      taken.push_back(&offer);
      taken_d2.push_back(d2);
    }
    for (std::size_t i = 0; i < taken.size(); ++i) take(*taken[i], taken_d2[i]);
  }

  PickList finish(std::size_t syncs, std::uint64_t proposals) {
    progress_.finish();
    result_.objective = std::sqrt(comm_.allreduce(rows_.largest_open_d2(), comm::Op::max));
    const auto& mine = rows_.counts();
    std::vector<std::uint64_t> counts{mine.exact, mine.bounded, mine.visited, mine.bytes};
    comm_.allreduce(std::span(counts), comm::Op::sum);
    const double picks = double(std::max<std::size_t>(count(), 1));
    if (comm_.is_root())
      spdlog::debug(
          "select: badge made {} picks in {} synchronisations ({} proposals), reading {:.0f} "
          "embeddings per pick, bounding {:.0f} by their int8 copy and visiting {:.0f} rows "
          "({:.0f} bytes per pick, all ranks)",
          count(), syncs, proposals, double(counts[0]) / picks, double(counts[1]) / picks,
          double(counts[2]) / picks, double(counts[3]) / picks);
    return std::move(result_);
  }

 private:
  const comm::Communicator& comm_;
  BadgeRows& rows_;
  BadgeDraws& draws_;
  std::size_t k_;
  comm::Progress progress_;
  PickList result_;
};

}  // namespace

PickList badge(const comm::Communicator& comm, const Shard& shard,
               const std::vector<std::uint32_t>& candidates, std::size_t k, std::uint64_t seed,
               const std::vector<float>& weight) {
  GradientFactors f;
  comm::agree_on_errors(comm, [&] { f = gradient_factors(shard); });
  BadgeRows rows(shard, f, candidates, k);
  BadgeDraws draws(comm, shard, f, seed, weight);
  Seeding seeding(comm, rows, draws, k);
  // The first pick: the largest (weighted) gradient norm.
  const BadgeOffer first = draws.agree(rows, [&](std::uint32_t row) {
    return double(draws.weight(row)) * f.a_norm2[row] * f.h_norm2[row];
  });
  if (k > 0 && first.owner >= 0) seeding.take(first, double(first.point.a2) * first.point.h2);
  std::size_t syncs = 1;
  std::uint64_t proposals = 0;
  while (seeding.count() < k) {
    ++syncs;
    if (!draws.freeze(rows)) {
      // Every open row lies on a pick (D^2 = 0): the race would give the lowest id.
      const BadgeOffer next = draws.agree(rows, [](std::uint32_t) { return 0.0; });
      if (next.owner < 0) break;  // no candidates left anywhere (callers check k beforehand)
      seeding.take(next, 0.0);
      continue;
    }
    const std::size_t count = batch_size(seeding.count(), k);
    seeding.replay(draws.propose(rows, proposals, count));
    proposals += count;
  }
  return seeding.finish(syncs, proposals);
}

}  // namespace quarry::select
