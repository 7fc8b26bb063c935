#pragma once
// BADGE's gradient embeddings g = a (x) h with a = p - onehot(pred), never materialised: every
// distance factorises into C-wide and embedding-wide dot products,
//   ||g_i - g_c||^2 = |a_i|^2 |h_i|^2 + |a_c|^2 |h_c|^2 - 2 (a_i.a_c)(h_i.h_c),
// with h_i.h_c taken from the fp16 distance kernel (h.h' = (|h|^2 + |h'|^2 - |h - h'|^2) / 2), so
// the owner of a row and any rank that received the row's bytes compute the same value.
// Cauchy-Schwarz on h gives a lower bound from the C-wide dot alone:
//   ||g_i - g_c||^2 >= |g_i|^2 + |g_c|^2 - 2 |a_i.a_c| |h_i| |h_c|.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "select/input/shard.hpp"

namespace quarry::select {

// A computed bound must hold with this much relative room before it skips an exact distance
// (rounding in the factorised form stays far below it).
constexpr double kGradientPruneMargin = 1e-4;

// The per-row factors of this rank's gradient embeddings.
struct GradientFactors {
  std::size_t classes = 0;
  std::vector<float> a;        // [rows, classes]: p - onehot(pred)
  std::vector<float> a_norm2;  // |a|^2
  std::vector<float> h_norm2;  // |h|^2 (the fp16 kernel against the origin)
  const float* a_of(std::size_t row) const { return a.data() + row * classes; }
};

// Bad input (a prediction outside the classes) names the item.
GradientFactors gradient_factors(const Shard& shard);

// a_i . a_c over the C classes, added in index order (the same wherever it runs). Inline: it
// runs for every row a pick may lower.
inline float class_dot(const float* __restrict a, const float* __restrict b, std::size_t classes) {
  float sum = 0;
  for (std::size_t j = 0; j < classes; ++j) sum += a[j] * b[j];
  return sum;
}

// A gradient embedding as a center: its factors and h (fp16 as stored, and widened).
struct GradientPoint {
  std::vector<float> a;
  float a2 = 0, h2 = 0;
  std::vector<Float16> h16;
  std::vector<float> h;
};

// The exact squared distance from (a2, h2, a.a_c, |h - h_c|^2) and the Cauchy-Schwarz bound.
inline double gradient_d2(float a2, float h2, float aa, const GradientPoint& c, float sq_h) {
  const double hh = 0.5 * (double(h2) + double(c.h2) - double(sq_h));
  return std::max(0.0, double(a2) * h2 + double(c.a2) * c.h2 - 2 * double(aa) * hh);
}
inline double gradient_lower_bound(float a2, float h2, float aa, const GradientPoint& c) {
  return double(a2) * h2 + double(c.a2) * c.h2 -
         2 * std::abs(double(aa)) * std::sqrt(double(h2)) * std::sqrt(double(c.h2));
}

// The centers picked so far, stored for the triangle inequality between centers.
class GradientCenters {
 public:
  GradientCenters(std::size_t classes, std::size_t dim) : classes_(classes), dim_(dim) {}
  std::size_t size() const { return a2_.size(); }
  void add(const GradientPoint& c);
  // For each center index in `which`: its squared distance to `c` (exact) into `out`.
  void exact_d2(const std::vector<std::uint32_t>& which, const GradientPoint& c,
                std::vector<double>& out) const;
  const float* a_of(std::size_t j) const { return a_.data() + j * classes_; }
  // The Cauchy-Schwarz lower bound between center j and `c`.
  double lower_bound(std::size_t j, const GradientPoint& c) const;

 private:
  std::size_t classes_, dim_;
  std::vector<float> a_, a2_, h2_;
  std::vector<Float16> h16_;
  mutable std::vector<float> scratch_;
};

}  // namespace quarry::select
