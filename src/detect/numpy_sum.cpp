#include "detect/numpy_sum.hpp"

#include <cstddef>
#include <limits>

namespace quarry::detect {

namespace {

// numpy's pairwise_sum for doubles (numpy/core/src/umath/loops_utils.h.src), PW_BLOCKSIZE 128.
double pairwise_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double sum = 0.;
    for (std::size_t i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise_sum(a, half) + pairwise_sum(a + half, n - half);
}

}  // namespace

double numpy_sum(const std::vector<double>& values) {
  // The reduction starts from add's identity, 0, and adds the pairwise sum of the whole array.
  return 0.0 + pairwise_sum(values.data(), values.size());
}

double numpy_mean(const std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  return numpy_sum(values) / double(values.size());
}

}  // namespace quarry::detect
