#include "select/strategies/gradient_space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "select/kernels/distance.hpp"

namespace quarry::select {

GradientFactors gradient_factors(const Shard& shard) {
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
    f.a_norm2[row] = class_dot(f.a_of(row), f.a_of(row), c);
  }
  return f;
}

void GradientCenters::add(const GradientPoint& c) {
  a_.insert(a_.end(), c.a.begin(), c.a.end());
  a2_.push_back(c.a2);
  h2_.push_back(c.h2);
  h16_.insert(h16_.end(), c.h16.begin(), c.h16.end());
}

double GradientCenters::lower_bound(std::size_t j, const GradientPoint& c) const {
  return gradient_lower_bound(a2_[j], h2_[j],
                              class_dot(a_.data() + j * classes_, c.a.data(), classes_), c);
}

void GradientCenters::exact_d2(const std::vector<std::uint32_t>& which, const GradientPoint& c,
                               std::vector<double>& out) const {
  scratch_.resize(which.size());
  distance_kernels().sq_dist_rows(h16_.data(), dim_, which.data(), which.size(), c.h.data(),
                                  scratch_.data());
  out.resize(which.size());
  for (std::size_t i = 0; i < which.size(); ++i) {
    const std::size_t j = which[i];
    out[i] = gradient_d2(a2_[j], h2_[j], class_dot(a_of(j), c.a.data(), classes_), c, scratch_[i]);
  }
}

}  // namespace quarry::select
