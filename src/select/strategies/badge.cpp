#include "select/strategies/badge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <span>

#include "comm/progress.hpp"
#include "comm/session.hpp"
#include "core/error.hpp"
#include "core/seeded.hpp"
#include "select/distributed/agree.hpp"
#include "select/kernels/distance.hpp"

namespace quarry::select {

namespace {

// A skipped row's bound must hold with this much room (rounding stays far below it).
constexpr double kPruneMargin = 1e-4;

// The per-row factors of the gradient embedding.
struct GradientFactors {
  std::size_t classes = 0;
  std::vector<float> a;        // [rows, classes]: p - onehot(pred)
  std::vector<float> a_norm2;  // |a|^2
  std::vector<float> h_norm2;  // |h|^2
};

// a_i . a_c over the C classes: a short loop kept in registers.
float dot(const float* __restrict a, const float* __restrict b, std::size_t n) {
  float sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += a[j] * b[j];
  return sum;
}

GradientFactors factors(const Shard& shard) {
  const std::size_t c = shard.meta.classes, n = shard.size(), dim = shard.dim();
  GradientFactors f;
  f.classes = c;
  f.a.resize(n * c);
  f.a_norm2.resize(n);
  f.h_norm2.resize(n);
  const auto& kernels = distance_kernels();
  kernels.widen(shard.probs.data(), n * c, f.a.data());
  const std::vector<float> origin(dim, 0.0f);
  kernels.sq_dist_block(shard.embeddings.data(), dim, n, origin.data(), f.h_norm2.data());
  for (std::size_t row = 0; row < n; ++row) {
    const auto pred = shard.pred[row];
    if (pred < 0 || std::size_t(pred) >= c)
      throw InputError(
          shard.meta.pool.empty() ? "scores" : shard.meta.pool, "/pred",
          fmt::format("item {} predicts class {}, outside 0..{}", shard.ids[row], pred, c - 1));
    f.a[row * c + std::size_t(pred)] -= 1.0f;
    float sum = 0;
    for (std::size_t j = 0; j < c; ++j) sum += f.a[row * c + j] * f.a[row * c + j];
    f.a_norm2[row] = sum;
  }
  return f;
}

// A pick as every rank learns it from the winner: its acquisition value, its D^2 (reported as
// the reason), and its gradient factors a, |a|^2, |h|^2 and embedding h.
struct Center {
  float score = 0, d2 = 0;
  std::vector<float> a;
  double a2 = 0, h2 = 0;
  std::vector<float> h;
};

// k-means++ seeding in the gradient embedding g = a (x) h (BADGE), on this rank's candidates:
// the distances of the rows not picked yet to their nearest pick, and the offers they make.
class GradientSeeding {
 public:
  GradientSeeding(const Shard& shard, GradientFactors f, std::vector<std::uint32_t> open,
                  std::uint64_t seed, const std::vector<float>& weight)
      : shard_(shard),
        f_(std::move(f)),
        open_(std::move(open)),
        seed_(seed),
        weight_(weight),
        d2_(shard.size(), INFINITY),
        offer_(head_floats_for(f_.classes) * sizeof(float) + shard.dim() * sizeof(Float16)) {}

  static std::size_t head_floats_for(std::size_t classes) { return 2 + classes + 2; }
  std::size_t offer_bytes() const { return offer_.size(); }

  // This rank's best candidate at `step` (the largest |g|^2 first, then D^2-weighted draws with
  // exponential keys), written into the offer; invalid when no candidate is left.
  Ranked offer(std::size_t step) {
    Ranked local;
    for (std::size_t i = 0; i < open_.size(); ++i) {
      const auto row = open_[i];
      const double w = weight_.empty() ? 1.0 : double(weight_[row]);
      const double key =
          step == 0 ? w * double(f_.a_norm2[row]) * double(f_.h_norm2[row])
                    : w * d2_[row] / -std::log(keyed_uniform(seed_, shard_.ids[row], step));
      const Ranked mine{key, shard_.ids[row]};
      if (ranks_before(mine, local)) local = mine, offered_at_ = i;
    }
    if (local.valid()) write_offer(open_[offered_at_], step);
    return local;
  }
  std::span<const std::uint8_t> offer_payload() const { return offer_; }

  // The winner was this rank's offer: it is no longer open.
  void remove_offered() { open_.erase(open_.begin() + long(offered_at_)); }

  Center read(std::span<const std::uint8_t> payload) const {
    const std::size_t classes = f_.classes, head_floats = head_floats_for(classes);
    std::vector<float> head(head_floats);
    std::memcpy(head.data(), payload.data(), head_floats * sizeof(float));
    Center c;
    c.score = head[0];
    c.d2 = head[1];
    c.a.assign(head.begin() + 2, head.begin() + 2 + long(classes));
    c.a2 = head[2 + classes];
    c.h2 = head[3 + classes];
    c.h.resize(shard_.dim());
    distance_kernels().widen(
        reinterpret_cast<const Float16*>(payload.data() + head_floats * sizeof(float)),
        shard_.dim(), c.h.data());
    return c;
  }

  // Lowers D^2 of the open rows to the new pick. Only rows whose D^2 the pick could lower need
  // the embedding distance. Lower bound, by Cauchy-Schwarz on h:
  // |g_i - g_c|^2 >= |g_i|^2 + |g_c|^2 - 2 |a_i.a_c| |h_i| |h_c|, which needs only the
  // C-dimensional a.
  void add_center(const Center& c) {
    const std::size_t classes = f_.classes;
    const double center_g2 = c.a2 * c.h2, center_h = std::sqrt(c.h2);
    near_.clear();
    near_aa_.clear();
    for (const auto row : open_) {
      const double aa = dot(f_.a.data() + row * classes, c.a.data(), classes);
      const double g2 = double(f_.a_norm2[row]) * f_.h_norm2[row];
      const double bound =
          g2 + center_g2 - 2 * std::abs(aa) * std::sqrt(double(f_.h_norm2[row])) * center_h;
      if (bound < d2_[row] * (1 + kPruneMargin)) near_.push_back(row), near_aa_.push_back(aa);
    }
    scratch_.resize(near_.size());
    distance_kernels().sq_dist_rows(shard_.embeddings.data(), shard_.dim(), near_.data(),
                                    near_.size(), c.h.data(), scratch_.data());
    for (std::size_t i = 0; i < near_.size(); ++i) {
      const auto row = near_[i];
      const double hh = 0.5 * (double(f_.h_norm2[row]) + c.h2 - double(scratch_[i]));
      const double dist2 = std::max(
          0.0, double(f_.a_norm2[row]) * f_.h_norm2[row] + center_g2 - 2 * near_aa_[i] * hh);
      d2_[row] = std::min(d2_[row], dist2);
    }
  }

  double largest_open_d2() const {
    double largest = 0;
    for (const auto row : open_) largest = std::max(largest, d2_[row]);
    return largest;
  }

 private:
  void write_offer(std::uint32_t row, std::size_t step) {
    const std::size_t classes = f_.classes;
    std::vector<float> head = {acquisition_of(shard_, row),
                               step == 0 ? f_.a_norm2[row] * f_.h_norm2[row] : float(d2_[row])};
    head.insert(head.end(), f_.a.begin() + long(row * classes),
                f_.a.begin() + long((row + 1) * classes));
    head.push_back(f_.a_norm2[row]);
    head.push_back(f_.h_norm2[row]);
    std::memcpy(offer_.data(), head.data(), head.size() * sizeof(float));
    std::memcpy(offer_.data() + head.size() * sizeof(float), shard_.embedding(row),
                shard_.dim() * sizeof(Float16));
  }

  const Shard& shard_;
  GradientFactors f_;
  std::vector<std::uint32_t> open_;  // candidates not picked yet
  std::uint64_t seed_;
  const std::vector<float>& weight_;
  std::vector<double> d2_;  // to the nearest pick, in gradient space
  std::vector<std::uint8_t> offer_;
  std::size_t offered_at_ = 0;
  std::vector<std::uint32_t> near_;
  std::vector<double> near_aa_;
  std::vector<float> scratch_;
};

}  // namespace

PickList badge(const comm::Communicator& comm, const Shard& shard,
               const std::vector<std::uint32_t>& candidates, std::size_t k, std::uint64_t seed,
               const std::vector<float>& weight) {
  GradientFactors f;
  comm::agree_on_errors(comm, [&] { f = factors(shard); });
  GradientSeeding seeding(shard, std::move(f), candidates, seed, weight);
  PickList result;
  result.reason_meaning = "gradient-embedding distance to the nearest earlier pick";
  comm::Progress progress(comm, "badge", k, "picks");
  std::vector<std::uint8_t> payload(seeding.offer_bytes());
  for (std::size_t step = 0; step < k; ++step) {
    const Ranked local = seeding.offer(step);
    const Winner winner = agree_best(comm, local, seeding.offer_payload(), payload);
    if (winner.rank < 0) break;
    if (winner.rank == comm.rank()) seeding.remove_offered();
    const Center center = seeding.read(payload);
    result.picks.push_back({winner.best.id, center.score, std::sqrt(std::max(0.0f, center.d2))});
    seeding.add_center(center);
    progress.advance(comm.is_root() ? 1 : 0);
  }
  progress.finish();
  result.objective = std::sqrt(comm.allreduce(seeding.largest_open_d2(), comm::Op::max));
  return result;
}

}  // namespace quarry::select
