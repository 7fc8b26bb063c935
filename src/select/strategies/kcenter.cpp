#include "select/strategies/kcenter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "comm/progress.hpp"
#include "core/log.hpp"
#include "core/seeded.hpp"
#include "select/distributed/agree.hpp"
#include "select/kernels/compact.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"
#include "select/strategies/kcenter_cells.hpp"
#include "select/strategies/kcenter_offers.hpp"

namespace quarry::select {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
// Rounding in the fp32 distances is far below this; a cell is only skipped when the bound holds
// with this much room, so pruning never changes a result.
constexpr float kPruneMargin = 1e-4f;
constexpr std::size_t kInitRows = 16384;

// What a pick is chosen by: weight * distance, compared squared (the same float operations on
// every rank, so a candidate's priority is bit-identical wherever it is evaluated).
inline float priority_of(float weight, float d2) {
  return weight * weight * d2;
}

// Picks per synchronisation: each rank offers its leading candidates; the ranks then replay the
// greedy on the offered ones for as long as the winner provably beats everything not offered.
constexpr std::size_t kOffered = 64;

class Traversal {
 public:
  Traversal(const Shard& shard, const KCenterSpec& spec)
      : shard_(shard),
        spec_(spec),
        dim_(shard.dim()),
        kernels_(distance_kernels()),
        d2_(shard.size(), kInf),
        owner_(shard.size(), 0),
        center_(dim_),
        compact_on_(use_compact(spec)) {}

  // Distances from the covered items (blocked GEMM), one cell per covered item.
  void start_from_covered() {
    const std::size_t s = spec_.covered.size() / std::max<std::size_t>(dim_, 1);
    centers_ = spec_.covered;
    cells_.assign(s, empty_cell());
    std::vector<Float16> block;
    std::vector<std::uint32_t> nearest(kInitRows);
    std::vector<float> dist(kInitRows);
    for (std::size_t b = 0; b < spec_.candidates.size(); b += kInitRows) {
      const std::size_t count = std::min(kInitRows, spec_.candidates.size() - b);
      block.resize(count * dim_);
      for (std::size_t i = 0; i < count; ++i)
        std::memcpy(block.data() + i * dim_, shard_.embedding(spec_.candidates[b + i]),
                    dim_ * sizeof(Float16));
      nearest_centers(block, centers_, dim_, nearest, dist);
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t row = spec_.candidates[b + i];
        d2_[row] = dist[i];
        owner_[row] = nearest[i];
        cells_[nearest[i]].append(row, dist[i], priority_of(weight(row), dist[i]), shard_.ids[row],
                                  shard_.embedding(row), nullptr, 0);
      }
    }
  }

  bool has_centers() const { return !centers_.empty(); }

  float priority(std::uint32_t row) const { return priority_of(weight(row), d2_[row]); }

  // The first center when nothing is covered: the smallest seeded draw u, not "row 0". With
  // weights, the smallest -log(1 - u) / w: a weighted draw (exponential race) that is the same
  // rule when every weight is 1.
  Ranked first_choice() const {
    Ranked best;
    for (const auto row : spec_.candidates) {
      const double u = keyed_uniform(spec_.seed, shard_.ids[row]);
      const double key = spec_.weight.empty() ? -u : std::log1p(-u) / double(weight(row));
      const Ranked mine{key, shard_.ids[row]};
      if (ranks_before(mine, best)) best = mine, first_row_ = row;
    }
    return best;
  }
  std::uint32_t first_row() const { return first_row_; }

  Ranked farthest(std::uint32_t& row) const {
    Ranked best;
    for (const auto& cell : cells_)
      if (!cell.empty() && ranks_before(cell.best, best)) best = cell.best, row = cell.best_row;
    return best;
  }

  float distance2(std::uint32_t row) const { return d2_[row]; }
  float weight(std::uint32_t row) const { return spec_.weight.empty() ? 1.0f : spec_.weight[row]; }

  // The `count` leading rows by (priority, id), best first. Cells are visited best first and
  // the walk stops at the first cell whose best cannot enter.
  std::vector<std::uint32_t> leading(std::size_t count) const {
    std::vector<const KCenterCell*> order;
    for (const auto& cell : cells_)
      if (!cell.empty()) order.push_back(&cell);
    std::sort(order.begin(), order.end(), [](const KCenterCell* a, const KCenterCell* b) {
      return ranks_before(a->best, b->best);
    });
    std::vector<std::uint32_t> rows;
    const auto before = [&](std::uint32_t a, std::uint32_t b) {
      return ranks_before({priority(a), shard_.ids[a]}, {priority(b), shard_.ids[b]});
    };
    for (const KCenterCell* cell : order) {
      if (rows.size() >= count &&
          !ranks_before(cell->best, {priority(rows[count - 1]), shard_.ids[rows[count - 1]]}))
        break;
      rows.insert(rows.end(), cell->rows.begin(), cell->rows.end());
      const std::size_t keep = std::min(count, rows.size());
      std::partial_sort(rows.begin(), rows.begin() + long(keep), rows.end(), before);
      rows.resize(keep);
    }
    return rows;
  }

  // The winning rank takes its pick out of the candidates.
  void remove(std::uint32_t row) {
    if (!has_centers()) {
      unassigned_removed_ = row;
      return;
    }
    KCenterCell& cell = cells_[owner_[row]];
    cell.remove_at(
        {std::uint32_t(std::find(cell.rows.begin(), cell.rows.end(), row) - cell.rows.begin())});
  }

  // Adds a center (fp16, as broadcast) and lowers every candidate's distance to it.
  void add_center(const Float16* embedding) {
    kernels_.widen(embedding, dim_, center_.data());
    if (compact_on_) compact_center_ = quantize(center_.data(), dim_);
    const std::size_t previous = centers_.size() / std::max<std::size_t>(dim_, 1);
    centers_.insert(centers_.end(), embedding, embedding + dim_);
    KCenterCell fresh = empty_cell();
    if (previous == 0) {
      first_cell(fresh);
    } else {
      center_d2_.resize(previous);
      kernels_.sq_dist_block(centers_.data(), dim_, previous, center_.data(), center_d2_.data());
      for (std::size_t j = 0; j < previous; ++j) lower_cell(j, fresh);
    }
    cells_.push_back(std::move(fresh));
  }

  // Rows read per scan: through the compact copy, and exactly (fp16); their bytes.
  std::size_t bounded_rows() const { return bounded_rows_; }
  std::size_t exact_rows() const { return exact_rows_; }
  std::size_t bytes_read() const {
    return bounded_rows_ * (dim_ + sizeof(CompactSide)) + exact_rows_ * dim_ * sizeof(Float16);
  }

  float covering_radius2() const {
    float radius2 = 0;
    for (const auto& cell : cells_)
      if (!cell.empty()) radius2 = std::max(radius2, cell.radius2);
    return radius2;
  }

 private:
  static bool use_compact(const KCenterSpec& spec) {
    const char* forced = std::getenv("QUARRY_KCENTER_COMPACT");
    return spec.compact && !(forced && std::string_view(forced) == "off");
  }

  KCenterCell empty_cell() const {
    KCenterCell cell;
    cell.compact.dim = compact_on_ ? dim_ : 0;
    return cell;
  }

  // The first center: every candidate (but the pick) joins its cell.
  void first_cell(KCenterCell& fresh) {
    near_rows_.clear();
    for (const auto row : spec_.candidates)
      if (row != unassigned_removed_) near_rows_.push_back(row);
    scratch_.resize(near_rows_.size());
    exact_rows_ += near_rows_.size();
    kernels_.sq_dist_rows(shard_.embeddings.data(), dim_, near_rows_.data(), near_rows_.size(),
                          center_.data(), scratch_.data());
    std::fill(owner_.begin(), owner_.end(), 0);
    for (std::size_t i = 0; i < near_rows_.size(); ++i) {
      const std::uint32_t row = near_rows_[i];
      d2_[row] = scratch_[i];
      fresh.append(row, scratch_[i], priority_of(weight(row), scratch_[i]), shard_.ids[row],
                   shard_.embedding(row), nullptr, 0);
    }
  }

  // Moves the rows of center j's cell that the newest center (index cells_.size()) is nearer
  // to into `fresh`, reading only the rows that the bounds leave.
  void lower_cell(std::size_t j, KCenterCell& fresh) {
    KCenterCell& cell = cells_[j];
    if (cell.empty() || center_d2_[j] > 4 * cell.radius2 * (1 + kPruneMargin)) return;
    // Inside the cell, the same bound per row: only rows with 4 d^2 above the centers' squared
    // distance can move, so only those are streamed through the kernels.
    const float bound = center_d2_[j] / (4 * (1 + kPruneMargin));
    near_.clear();
    for (std::uint32_t i = 0; i < cell.size(); ++i)
      if (cell.d2[i] > bound) near_.push_back(i);
    rule_out_by_compact_bound(cell);
    if (near_.empty()) return;
    exact_rows_ += near_.size();
    near_rows_.resize(near_.size());
    for (std::size_t t = 0; t < near_.size(); ++t) near_rows_[t] = cell.rows[near_[t]];
    scratch_.resize(near_.size());
    kernels_.sq_dist_rows(shard_.embeddings.data(), dim_, near_rows_.data(), near_rows_.size(),
                          center_.data(), scratch_.data());
    const auto newest = std::uint32_t(cells_.size());
    moved_.clear();
    for (std::size_t t = 0; t < near_.size(); ++t) {
      const std::uint32_t i = near_[t], row = near_rows_[t];
      if (scratch_[t] >= cell.d2[i]) continue;
      d2_[row] = scratch_[t];
      owner_[row] = newest;
      fresh.append(row, scratch_[t], priority_of(weight(row), scratch_[t]), cell.ids[i], nullptr,
                   &cell, i);
      moved_.push_back(i);
    }
    if (!moved_.empty()) cell.remove_at(moved_);
  }

  // Keeps in near_ (positions in the cell) only the rows whose compact lower bound on the
  // distance to the new center falls below their current distance: the others provably keep
  // theirs.
  void rule_out_by_compact_bound(const KCenterCell& cell) {
    if (!compact_on_ || near_.empty()) return;
    bounded_rows_ += near_.size();
    scratch_.resize(near_.size());
    compact_kernels().lower_sq_dist_rows(cell.compact, near_.data(), near_.size(), compact_center_,
                                         scratch_.data());
    std::size_t kept = 0;
    for (std::size_t t = 0; t < near_.size(); ++t)
      if (scratch_[t] < cell.d2[near_[t]]) near_[kept++] = near_[t];
    near_.resize(kept);
  }

  const Shard& shard_;
  const KCenterSpec& spec_;
  std::size_t dim_;
  const DistanceKernels& kernels_;
  std::vector<float> d2_;
  std::vector<std::uint32_t> owner_;  // the cell (center index) of each candidate row
  std::vector<Float16> centers_;
  std::vector<KCenterCell> cells_;
  std::vector<float> center_, center_d2_, scratch_;
  std::vector<std::uint32_t> near_;  // positions in a cell
  std::vector<std::uint32_t> near_rows_, moved_;
  bool compact_on_;
  CompactCenter compact_center_;  // the newest center, quantized
  std::size_t bounded_rows_ = 0, exact_rows_ = 0;
  mutable std::uint32_t first_row_ = 0;
  std::uint32_t unassigned_removed_ = std::numeric_limits<std::uint32_t>::max();
};

}  // namespace

namespace {

// The picks made so far, shared by the first pick and the synchronised rounds: every rank accepts
// the same offers in the same order.
class Picking {
 public:
  Picking(const comm::Communicator& comm, Traversal& traversal, std::size_t k)
      : comm_(comm), traversal_(traversal), progress_(comm, "kcenter", k, "picks") {
    result_.reason_meaning = "distance to the nearest labeled, pending or earlier pick";
  }

  void accept(const Offer& offer) {
    if (offer.owner == comm_.rank()) traversal_.remove(offer.head.row);
    result_.picks.push_back({offer.head.ranked.id, offer.head.score, std::sqrt(offer.head.d2)});
    traversal_.add_center(offer.embedding);
    progress_.advance(comm_.is_root() ? 1 : 0);
  }
  std::size_t count() const { return result_.picks.size(); }

  PickList finish() {
    progress_.finish();
    result_.objective =
        std::sqrt(double(comm_.allreduce(traversal_.covering_radius2(), comm::Op::max)));
    return std::move(result_);
  }

 private:
  const comm::Communicator& comm_;
  Traversal& traversal_;
  comm::Progress progress_;
  PickList result_;
};

OfferHead head_of(const Shard& shard, const Traversal& traversal, std::uint32_t row) {
  return {{traversal.priority(row), shard.ids[row]},
          row,
          traversal.distance2(row),
          acquisition_of(shard, row),
          traversal.weight(row)};
}

// Nothing covered: the first pick is the smallest seeded draw over all ranks.
void pick_first(const comm::Communicator& comm, const Shard& shard, Traversal& traversal,
                Picking& picking) {
  OfferExchange first(comm, shard.dim(), 1);
  first.clear();
  const Ranked local = traversal.first_choice();
  if (local.valid()) {
    const std::uint32_t row = traversal.first_row();
    first.set_offer(0, {local, row, kInf, acquisition_of(shard, row), 1.0f}, shard.embedding(row));
  }
  first.exchange();
  auto offers = first.offers();
  const auto best = std::min_element(
      offers.begin(), offers.end(),
      [](const auto& a, const auto& b) { return ranks_before(a.head.ranked, b.head.ranked); });
  if (best != offers.end()) picking.accept(*best);
}

// This rank's leading candidates, and the first one it holds back as the bound.
void offer_leading(const Shard& shard, const Traversal& traversal, OfferExchange& exchange) {
  exchange.clear();
  const auto rows = traversal.leading(kOffered + 1);
  if (rows.size() > kOffered) exchange.set_bound(head_of(shard, traversal, rows[kOffered]).ranked);
  for (std::size_t i = 0; i < std::min(kOffered, rows.size()); ++i)
    exchange.set_offer(i, head_of(shard, traversal, rows[i]), shard.embedding(rows[i]));
}

// Replays the greedy on the offers while the best provably beats every candidate not offered
// (their priorities only fall, so the bound stays valid).
void replay_greedy(std::vector<Offer>& offers, const Ranked& bound, std::size_t dim, std::size_t k,
                   Picking& picking) {
  const auto& kernels = distance_kernels();
  std::vector<float> center(dim);
  while (picking.count() < k) {
    Offer* best = nullptr;
    for (auto& offer : offers)
      if (!offer.taken && (!best || ranks_before(offer.head.ranked, best->head.ranked)))
        best = &offer;
    if (!best || (bound.valid() && !ranks_before(best->head.ranked, bound))) return;
    best->taken = true;
    picking.accept(*best);
    kernels.widen(best->embedding, dim, center.data());
    for (auto& offer : offers) {
      if (offer.taken) continue;
      float d2 = 0;
      kernels.sq_dist_block(offer.embedding, dim, 1, center.data(), &d2);
      if (d2 < offer.head.d2) {
        offer.head.d2 = d2;
        offer.head.ranked.key = priority_of(offer.head.weight, d2);
      }
    }
  }
}

}  // namespace

PickList kcenter(const comm::Communicator& comm, const Shard& shard, const KCenterSpec& spec) {
  Traversal traversal(shard, spec);
  if (!spec.covered.empty()) traversal.start_from_covered();
  Picking picking(comm, traversal, spec.k);
  if (!traversal.has_centers() && spec.k > 0) pick_first(comm, shard, traversal, picking);
  OfferExchange exchange(comm, shard.dim(), kOffered);
  std::size_t syncs = 0;
  while (picking.count() < spec.k) {
    ++syncs;
    offer_leading(shard, traversal, exchange);
    exchange.exchange();
    auto offers = exchange.offers();
    if (offers.empty()) break;  // no candidates left anywhere (callers check k beforehand)
    replay_greedy(offers, exchange.bound(), shard.dim(), spec.k, picking);
  }
  if (comm.is_root()) {
    const double picks = double(std::max<std::size_t>(picking.count(), 1));
    spdlog::debug(
        "select: kcenter made {} picks in {} synchronisations, scanning {:.0f} compact and {:.0f} "
        "exact rows ({:.0f} bytes) per pick on rank 0",
        picking.count(), syncs, double(traversal.bounded_rows()) / picks,
        double(traversal.exact_rows()) / picks, double(traversal.bytes_read()) / picks);
  }
  return picking.finish();
}

}  // namespace quarry::select
