#include "select/strategies/kcenter.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "comm/progress.hpp"
#include "select/distributed/agree.hpp"
#include "select/distributed/seeded_hash.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"

namespace quarry::select {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
// Rounding in the fp32 distances is far below this; a cell is only skipped when the bound holds
// with this much room, so pruning never changes a result.
constexpr float kPruneMargin = 1e-4f;
constexpr std::size_t kInitRows = 16384;

struct Cell {
  std::vector<std::uint32_t> rows;
  float radius2 = 0;  // the largest squared distance in the cell
  Ranked best;        // the cell's farthest row by priority, ties by id
  std::uint32_t best_row = 0;
};

class Traversal {
 public:
  Traversal(const Shard& shard, const KCenterSpec& spec)
      : shard_(shard),
        spec_(spec),
        dim_(shard.dim()),
        kernels_(distance_kernels()),
        d2_(shard.size(), kInf),
        owner_(shard.size(), 0),
        center_(dim_) {}

  // Distances from the covered items (blocked GEMM), one cell per covered item.
  void start_from_covered() {
    const std::size_t s = spec_.covered.size() / std::max<std::size_t>(dim_, 1);
    centers_ = spec_.covered;
    cells_.resize(s);
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
        cells_[nearest[i]].rows.push_back(row);
      }
    }
    for (auto& cell : cells_) refresh(cell);
  }

  bool has_centers() const { return !centers_.empty(); }

  // The first center when nothing is covered: the smallest seeded draw, not "row 0".
  Ranked first_choice() const {
    Ranked best;
    for (const auto row : spec_.candidates) {
      const Ranked mine{-item_uniform(spec_.seed, shard_.ids[row]), shard_.ids[row]};
      if (ranks_before(mine, best)) best = mine, first_row_ = row;
    }
    return best;
  }
  std::uint32_t first_row() const { return first_row_; }

  Ranked farthest(std::uint32_t& row) const {
    Ranked best;
    for (const auto& cell : cells_)
      if (!cell.rows.empty() && ranks_before(cell.best, best))
        best = cell.best, row = cell.best_row;
    return best;
  }

  float distance2(std::uint32_t row) const { return d2_[row]; }

  // The winning rank takes its pick out of the candidates.
  void remove(std::uint32_t row) {
    if (!has_centers()) {
      unassigned_removed_ = row;
      return;
    }
    Cell& cell = cells_[owner_[row]];
    cell.rows.erase(std::find(cell.rows.begin(), cell.rows.end(), row));
    refresh(cell);
  }

  // Adds a center (fp16, as broadcast) and lowers every candidate's distance to it.
  void add_center(const Float16* embedding) {
    kernels_.widen(embedding, dim_, center_.data());
    const std::size_t previous = centers_.size() / std::max<std::size_t>(dim_, 1);
    centers_.insert(centers_.end(), embedding, embedding + dim_);
    Cell fresh;
    if (previous == 0) {
      // The first center: every candidate (but the pick) joins its cell.
      for (const auto row : spec_.candidates)
        if (row != unassigned_removed_) fresh.rows.push_back(row);
      scratch_.resize(fresh.rows.size());
      kernels_.sq_dist_rows(shard_.embeddings.data(), dim_, fresh.rows.data(), fresh.rows.size(),
                            center_.data(), scratch_.data());
      for (std::size_t i = 0; i < fresh.rows.size(); ++i) d2_[fresh.rows[i]] = scratch_[i];
      std::fill(owner_.begin(), owner_.end(), 0);
    } else {
      center_d2_.resize(previous);
      kernels_.sq_dist_block(centers_.data(), dim_, previous, center_.data(), center_d2_.data());
      for (std::size_t j = 0; j < previous; ++j) {
        Cell& cell = cells_[j];
        if (cell.rows.empty() || center_d2_[j] > 4 * cell.radius2 * (1 + kPruneMargin)) continue;
        // Inside the cell, the same bound per row: only rows with 4 d^2 above the centers'
        // squared distance can move, so only those are streamed through the kernel.
        const float bound = center_d2_[j] / (4 * (1 + kPruneMargin));
        near_.clear();
        for (const auto row : cell.rows)
          if (d2_[row] > bound) near_.push_back(row);
        if (near_.empty()) continue;
        scratch_.resize(near_.size());
        kernels_.sq_dist_rows(shard_.embeddings.data(), dim_, near_.data(), near_.size(),
                              center_.data(), scratch_.data());
        std::size_t moved = 0;
        for (std::size_t i = 0; i < near_.size(); ++i) {
          const std::uint32_t row = near_[i];
          if (scratch_[i] < d2_[row]) {
            d2_[row] = scratch_[i];
            owner_[row] = std::uint32_t(previous);
            fresh.rows.push_back(row);
            ++moved;
          }
        }
        if (moved == 0) continue;
        std::size_t kept = 0;
        for (const auto row : cell.rows)
          if (owner_[row] != previous) cell.rows[kept++] = row;
        if (kept != cell.rows.size()) {
          cell.rows.resize(kept);
          refresh(cell);
        }
      }
    }
    refresh(fresh);
    cells_.push_back(std::move(fresh));
  }

  float covering_radius2() const {
    float radius2 = 0;
    for (const auto& cell : cells_)
      if (!cell.rows.empty()) radius2 = std::max(radius2, cell.radius2);
    return radius2;
  }

 private:
  float priority(std::uint32_t row) const {
    return spec_.weight.empty() ? d2_[row] : spec_.weight[row] * spec_.weight[row] * d2_[row];
  }

  void refresh(Cell& cell) const {
    cell.radius2 = 0;
    cell.best = Ranked{};
    for (const auto row : cell.rows) {
      cell.radius2 = std::max(cell.radius2, d2_[row]);
      const Ranked mine{priority(row), shard_.ids[row]};
      if (ranks_before(mine, cell.best)) cell.best = mine, cell.best_row = row;
    }
  }

  const Shard& shard_;
  const KCenterSpec& spec_;
  std::size_t dim_;
  const DistanceKernels& kernels_;
  std::vector<float> d2_;
  std::vector<std::uint32_t> owner_;  // the cell (center index) of each candidate row
  std::vector<Float16> centers_;
  std::vector<Cell> cells_;
  std::vector<float> center_, center_d2_, scratch_;
  std::vector<std::uint32_t> near_;
  mutable std::uint32_t first_row_ = 0;
  std::uint32_t unassigned_removed_ = std::numeric_limits<std::uint32_t>::max();
};

}  // namespace

PickList kcenter(const comm::Communicator& comm, const Shard& shard, const KCenterSpec& spec) {
  const std::size_t dim = shard.dim();
  Traversal traversal(shard, spec);
  if (!spec.covered.empty()) traversal.start_from_covered();

  PickList result;
  result.reason_meaning = "distance to the nearest labeled, pending or earlier pick";
  comm::Progress progress(comm, "kcenter", spec.k, "picks");
  // The winner's payload: acquisition value, squared distance at pick time, embedding.
  std::vector<std::uint8_t> offer(2 * sizeof(float) + dim * sizeof(Float16)), payload(offer.size());
  for (std::size_t step = 0; step < spec.k; ++step) {
    std::uint32_t row = 0;
    Ranked local;
    if (traversal.has_centers()) {
      local = traversal.farthest(row);
    } else {
      local = traversal.first_choice();
      row = traversal.first_row();
    }
    if (local.valid()) {
      const float score = acquisition_of(shard, row), d2 = traversal.distance2(row);
      std::memcpy(offer.data(), &score, sizeof score);
      std::memcpy(offer.data() + sizeof score, &d2, sizeof d2);
      std::memcpy(offer.data() + 2 * sizeof(float), shard.embedding(row), dim * sizeof(Float16));
    }
    const Winner winner = agree_best(comm, local, offer, payload);
    if (winner.rank < 0) break;  // no candidates left anywhere (callers check k beforehand)
    if (winner.rank == comm.rank()) traversal.remove(row);
    Pick pick;
    pick.id = winner.best.id;
    float d2 = 0;
    std::memcpy(&pick.score, payload.data(), sizeof(float));
    std::memcpy(&d2, payload.data() + sizeof(float), sizeof(float));
    pick.reason = std::sqrt(d2);
    result.picks.push_back(pick);
    Float16 const* embedding = reinterpret_cast<const Float16*>(payload.data() + 2 * sizeof(float));
    std::vector<Float16> center(embedding, embedding + dim);
    traversal.add_center(center.data());
    progress.advance(comm.is_root() ? 1 : 0);
  }
  progress.finish();
  result.objective = std::sqrt(double(comm.allreduce(traversal.covering_radius2(), comm::Op::max)));
  return result;
}

}  // namespace quarry::select
