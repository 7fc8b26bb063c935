#pragma once
// Sums and means added in numpy's order. COCOeval averages with np.mean and np.sum, which add
// float64 arrays pairwise (eight running sums per block of up to 128 values, blocks halved
// recursively); adding in that order gives cocoapi's numbers bit for bit rather than to 1e-15.
#include <vector>

namespace quarry::detect {

// np.sum of a 1-D float64 array.
double numpy_sum(const std::vector<double>& values);

// np.mean of a 1-D float64 array: numpy_sum / size (NaN for an empty array, as numpy).
double numpy_mean(const std::vector<double>& values);

}  // namespace quarry::detect
