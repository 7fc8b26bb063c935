#include "select/strategies/kmeans_lloyd.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/log.hpp"
#include "select/kernels/distance.hpp"
#include "select/kernels/nearest.hpp"

namespace quarry::select {

namespace {

constexpr double kValueScale = 16777216.0;  // 2^24: every fp16 value is a multiple of 2^-24
// Relative rounding allowed on the exact kernel's squared distances (far above its 1e-5).
constexpr double kRounding = 1e-4;

class Lloyd {
 public:
  Lloyd(const comm::Communicator& comm, const Shard& shard, Clustering& result, bool bounds)
      : comm_(comm),
        shard_(shard),
        result_(result),
        dim_(shard.dim()),
        bounds_(bounds),
        sums_(result.clusters * dim_, 0),
        counts_(result.clusters, 0),
        values_(dim_) {
    for (std::size_t row = 0; row < shard.size(); ++row)
      if (result.assignment[row] >= 0) add(row, result.assignment[row], +1);
    if (bounds_) {
      upper_.assign(shard.size(), std::numeric_limits<double>::infinity());
      lower_.assign(shard.size(), 0.0);
      norm2_.resize(shard.size());
      for (std::size_t row = 0; row < shard.size(); ++row) {
        kernels().widen(shard.embedding(row), dim_, values_.data());
        double sum = 0;
        for (const float v : values_) sum += double(v) * double(v);
        norm2_[row] = sum;
      }
    }
  }

  // One step: assign, then new centroids from exact integer sums; false once converged (at most
  // one item in a thousand changed cluster: a global, exact count).
  bool step() {
    const auto nearest = assign();
    std::uint64_t changed = 0;
    for (std::size_t row = 0; row < shard_.size(); ++row) {
      const auto cluster = std::int32_t(nearest[row]);
      if (cluster == result_.assignment[row]) continue;
      ++changed;
      if (result_.assignment[row] >= 0) add(row, result_.assignment[row], -1);
      add(row, cluster, +1);
      result_.assignment[row] = cluster;
    }
    if (comm_.allreduce(changed, comm::Op::sum) * 1000 <= shard_.meta.count) return false;
    auto sums = sums_;
    auto counts = counts_;
    comm_.allreduce(std::span(sums), comm::Op::sum);
    comm_.allreduce(std::span(counts), comm::Op::sum);
    const auto before = result_.centroids;
    for (std::size_t c = 0; c < result_.clusters; ++c)
      if (counts[c] > 0)  // an empty cluster keeps its centroid
        for (std::size_t j = 0; j < dim_; ++j)
          result_.centroids[c * dim_ + j] =
              to_float16(float(double(sums[c * dim_ + j]) / kValueScale / double(counts[c])));
    if (bounds_) widen_bounds(before);
    return true;
  }

  // Rows this rank sent through the GEMM, over all steps.
  std::size_t assigned() const { return assigned_; }

 private:
  static const DistanceKernels& kernels() { return distance_kernels(); }

  void add(std::size_t row, std::int32_t cluster, std::int64_t sign) {
    counts_[std::size_t(cluster)] += sign;
    kernels().widen(shard_.embedding(row), dim_, values_.data());
    std::int64_t* sum = sums_.data() + std::size_t(cluster) * dim_;
    for (std::size_t j = 0; j < dim_; ++j)
      sum[j] += sign * std::int64_t(double(values_[j]) * kValueScale);
  }

  // Every row's nearest centroid, as the plain GEMM assignment gives it.
  std::vector<std::uint32_t> assign() {
    const std::size_t n = shard_.size();
    std::vector<std::uint32_t> nearest(n);
    if (!bounds_) {
      std::vector<float> d2(n);
      nearest_centers(shard_.embeddings, result_.centroids, dim_, nearest, d2);
      assigned_ += n;
      return nearest;
    }
    const std::vector<std::uint32_t> open = rows_to_assign(nearest);
    // The open rows, gathered into a buffer kept across steps: hundreds of MB at a million
    // rows, which fresh each step cost a zeroing pass and its page faults.
    block_.resize(open.size() * dim_);
    for (std::size_t i = 0; i < open.size(); ++i)
      std::copy_n(shard_.embedding(open[i]), dim_, block_.data() + i * dim_);
    std::vector<std::uint32_t> found(open.size());
    std::vector<float> d2(open.size()), second(open.size());
    nearest_centers(std::span<const Float16>(block_.data(), open.size() * dim_), result_.centroids,
                    dim_, found, d2, second);
    assigned_ += open.size();
    for (std::size_t i = 0; i < open.size(); ++i) {
      const std::uint32_t row = open[i];
      nearest[row] = found[i];
      upper_[row] = std::sqrt(double(d2[i]) * (1 + kRounding));
      lower_[row] = std::sqrt(double(second[i]));
    }
    return nearest;
  }

  // Rows whose bounds prove their cluster keep it (written to `nearest`); the rest are returned.
  // A row is kept when its centroid is nearer than every other by more than twice the GEMM's
  // error: then the GEMM ranks it first and the exact kernel confirms it, as the plain
  // assignment would.
  std::vector<std::uint32_t> rows_to_assign(std::vector<std::uint32_t>& nearest) {
    const double c_norm2 = largest_sq_norm(result_.centroids, dim_);
    std::vector<float> center(dim_);
    const auto proven = [&](std::size_t row) {
      const double slack = 2 * gemm_distance_error(dim_, norm2_[row], c_norm2);
      return upper_[row] * upper_[row] * (1 + kRounding) + slack <
             lower_[row] * lower_[row] * (1 - kRounding);
    };
    std::vector<std::uint32_t> open;
    for (std::uint32_t row = 0; row < shard_.size(); ++row) {
      const std::int32_t cluster = result_.assignment[row];
      if (cluster >= 0 && lower_[row] > 0 && !proven(row)) {
        // The upper bound may be loose: tighten it to the exact distance and look again.
        kernels().widen(result_.centroids.data() + std::size_t(cluster) * dim_, dim_,
                        center.data());
        float d2 = 0;
        kernels().sq_dist_block(shard_.embedding(row), dim_, 1, center.data(), &d2);
        upper_[row] = std::sqrt(double(d2) * (1 + kRounding));
      }
      if (cluster >= 0 && proven(row))
        nearest[row] = std::uint32_t(cluster);
      else
        open.push_back(row);
    }
    return open;
  }

  // After the centroids moved: each row's centroid may be its shift farther, every other one the
  // largest other shift nearer.
  void widen_bounds(const std::vector<Float16>& before) {
    std::vector<double> shift(result_.clusters);
    for (std::size_t c = 0; c < result_.clusters; ++c) {
      double sum = 0;
      for (std::size_t j = 0; j < dim_; ++j) {
        const double d = double(to_float32(result_.centroids[c * dim_ + j])) -
                         double(to_float32(before[c * dim_ + j]));
        sum += d * d;
      }
      shift[c] = std::sqrt(sum) * (1 + 1e-12);
    }
    std::size_t first = 0;
    for (std::size_t c = 1; c < shift.size(); ++c)
      if (shift[c] > shift[first]) first = c;
    double runner = 0;
    for (std::size_t c = 0; c < shift.size(); ++c)
      if (c != first) runner = std::max(runner, shift[c]);
    for (std::size_t row = 0; row < shard_.size(); ++row) {
      const auto cluster = std::size_t(result_.assignment[row]);
      upper_[row] += shift[cluster];
      lower_[row] = std::max(0.0, lower_[row] - (cluster == first ? runner : shift[first]));
    }
  }

  const comm::Communicator& comm_;
  const Shard& shard_;
  Clustering& result_;
  std::size_t dim_;
  bool bounds_;
  std::vector<std::int64_t> sums_, counts_;  // this rank's, per cluster
  std::vector<float> values_;
  std::vector<Float16> block_;
  std::vector<double> upper_, lower_, norm2_;
  std::size_t assigned_ = 0;
};

}  // namespace

void lloyd(const comm::Communicator& comm, const Shard& shard, Clustering& result,
           int max_iterations, bool bounds) {
  Lloyd iterations(comm, shard, result, bounds);
  result.iterations = 0;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    result.iterations = iteration + 1;
    if (!iterations.step()) break;
  }
  if (comm.is_root() && shard.size() > 0)
    spdlog::debug(
        "select: k-means ran {} Lloyd steps{}, {:.1f}% of rank 0's rows through the GEMM "
        "per step",
        result.iterations, bounds ? " with Hamerly's bounds" : "",
        100.0 * double(iterations.assigned()) / double(shard.size()) /
            double(std::max(result.iterations, 1)));
}

}  // namespace quarry::select
