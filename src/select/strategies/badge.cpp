#include "select/strategies/badge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "comm/progress.hpp"
#include "core/error.hpp"
#include "select/distributed/agree.hpp"
#include "select/distributed/seeded_hash.hpp"
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

}  // namespace

PickList badge(const comm::Communicator& comm, const Shard& shard,
               const std::vector<std::uint32_t>& candidates, std::size_t k, std::uint64_t seed,
               const std::vector<float>& weight) {
  const std::size_t dim = shard.dim(), classes = shard.meta.classes;
  GradientFactors f;
  agree_on_errors(comm, [&] { f = factors(shard); });
  const auto& kernels = distance_kernels();
  const auto w = [&](std::uint32_t row) { return weight.empty() ? 1.0 : double(weight[row]); };

  std::vector<std::uint32_t> open = candidates;    // not picked yet
  std::vector<double> d2(shard.size(), INFINITY);  // to the nearest pick, in gradient space
  PickList result;
  result.reason_meaning = "gradient-embedding distance to the nearest earlier pick";
  comm::Progress progress(comm, "badge", k, "picks");
  // Winner's payload: acquisition value, D^2, a (classes floats), |a|^2, |h|^2, embedding.
  const std::size_t floats = 2 + classes + 2;
  std::vector<std::uint8_t> offer(floats * sizeof(float) + dim * sizeof(Float16)),
      payload(offer.size());
  std::vector<float> center_h_values(dim), scratch;
  std::vector<double> near_aa;
  std::vector<std::uint32_t> near;
  for (std::size_t step = 0; step < k; ++step) {
    Ranked local;
    std::size_t local_at = 0;
    for (std::size_t i = 0; i < open.size(); ++i) {
      const auto row = open[i];
      const double key =
          step == 0 ? w(row) * double(f.a_norm2[row]) * double(f.h_norm2[row])
                    : w(row) * d2[row] / -std::log(item_uniform(seed, shard.ids[row], step));
      const Ranked mine{key, shard.ids[row]};
      if (ranks_before(mine, local)) local = mine, local_at = i;
    }
    if (local.valid()) {
      const auto row = open[local_at];
      std::vector<float> head = {acquisition_of(shard, row),
                                 step == 0 ? f.a_norm2[row] * f.h_norm2[row] : float(d2[row])};
      head.insert(head.end(), f.a.begin() + long(row * classes),
                  f.a.begin() + long((row + 1) * classes));
      head.push_back(f.a_norm2[row]);
      head.push_back(f.h_norm2[row]);
      std::memcpy(offer.data(), head.data(), floats * sizeof(float));
      std::memcpy(offer.data() + floats * sizeof(float), shard.embedding(row),
                  dim * sizeof(Float16));
    }
    const Winner winner = agree_best(comm, local, offer, payload);
    if (winner.rank < 0) break;
    if (winner.rank == comm.rank()) open.erase(open.begin() + long(local_at));
    std::vector<float> head(floats);
    std::memcpy(head.data(), payload.data(), floats * sizeof(float));
    result.picks.push_back({winner.best.id, head[0], std::sqrt(std::max(0.0f, head[1]))});
    const float* center_a = head.data() + 2;
    const double ca2 = head[2 + classes], ch2 = head[3 + classes];
    kernels.widen(reinterpret_cast<const Float16*>(payload.data() + floats * sizeof(float)), dim,
                  center_h_values.data());

    // Only rows whose D^2 the new pick could lower need the embedding distance. Lower bound,
    // by Cauchy-Schwarz on h: |g_i - g_c|^2 >= |g_i|^2 + |g_c|^2 - 2 |a_i.a_c| |h_i| |h_c|,
    // which needs only the C-dimensional a.
    const double center_g2 = ca2 * ch2, center_h = std::sqrt(ch2);
    near.clear();
    near_aa.clear();
    for (const auto row : open) {
      const double aa = dot(f.a.data() + row * classes, center_a, classes);
      const double g2 = double(f.a_norm2[row]) * f.h_norm2[row];
      const double bound =
          g2 + center_g2 - 2 * std::abs(aa) * std::sqrt(double(f.h_norm2[row])) * center_h;
      if (bound < d2[row] * (1 + kPruneMargin)) near.push_back(row), near_aa.push_back(aa);
    }
    scratch.resize(near.size());
    kernels.sq_dist_rows(shard.embeddings.data(), dim, near.data(), near.size(),
                         center_h_values.data(), scratch.data());
    for (std::size_t i = 0; i < near.size(); ++i) {
      const auto row = near[i];
      const double hh = 0.5 * (double(f.h_norm2[row]) + ch2 - double(scratch[i]));
      const double dist2 =
          std::max(0.0, double(f.a_norm2[row]) * f.h_norm2[row] + center_g2 - 2 * near_aa[i] * hh);
      d2[row] = std::min(d2[row], dist2);
    }
    progress.advance(comm.is_root() ? 1 : 0);
  }
  progress.finish();
  double largest = 0;
  for (const auto row : open) largest = std::max(largest, d2[row]);
  result.objective = std::sqrt(comm.allreduce(largest, comm::Op::max));
  return result;
}

}  // namespace quarry::select
