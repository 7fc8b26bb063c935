#include "detect/coco_summarize.hpp"

#include <string>

#include "detect/numpy_sum.hpp"

namespace quarry::detect {

namespace {

// One _summarize() call: which statistic, at which threshold (all when none), area and maxDets.
struct Query {
  bool precision;  // AP, else AR
  std::optional<double> threshold;
  const char* area;
  int max_detections;
};

std::vector<std::size_t> matching(std::size_t n, const auto& is_match) {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < n; ++i)
    if (is_match(i)) indices.push_back(i);
  return indices;
}

// The mean of the selected values that are not -1 (numpy's s[s > -1].mean()), values taken in
// numpy's C order over t, r, k; -1 when none is.
double summarize_one(Accumulated& acc, const Params& params, const Query& q,
                     std::optional<std::size_t> category) {
  const auto ts = matching(acc.T, [&](std::size_t t) {
    return !q.threshold || params.iou_thresholds[t] == *q.threshold;
  });
  const auto as =
      matching(acc.A, [&](std::size_t a) { return params.area_ranges[a].label == q.area; });
  const auto ms =
      matching(acc.M, [&](std::size_t m) { return params.max_detections[m] == q.max_detections; });
  const auto ks = matching(acc.K, [&](std::size_t k) { return !category || k == *category; });
  std::vector<double> values;
  auto take = [&](double v) {
    if (v > -1) values.push_back(v);
  };
  for (std::size_t t : ts)
    for (std::size_t r = 0; r < (q.precision ? acc.R : 1); ++r)
      for (std::size_t k : ks)
        for (std::size_t a : as)
          for (std::size_t m : ms)
            take(q.precision ? acc.precision_at(t, r, k, a, m) : acc.recall_at(t, k, a, m));
  return values.empty() ? -1.0 : numpy_mean(values);
}

std::vector<Query> box_queries(const Params& params) {
  const auto& md = params.max_detections;
  const int last = md.size() > 2 ? md[2] : -1;  // summarize() reads maxDets[0..2]
  const int first = md.empty() ? -1 : md[0], second = md.size() > 1 ? md[1] : -1;
  return {{true, {}, "all", 100},     {true, .5, "all", last},     {true, .75, "all", last},
          {true, {}, "small", last},  {true, {}, "medium", last},  {true, {}, "large", last},
          {false, {}, "all", first},  {false, {}, "all", second},  {false, {}, "all", last},
          {false, {}, "small", last}, {false, {}, "medium", last}, {false, {}, "large", last}};
}

std::vector<Query> keypoint_queries() {
  return {{true, {}, "all", 20},    {true, .5, "all", 20},   {true, .75, "all", 20},
          {true, {}, "medium", 20}, {true, {}, "large", 20}, {false, {}, "all", 20},
          {false, .5, "all", 20},   {false, .75, "all", 20}, {false, {}, "medium", 20},
          {false, {}, "large", 20}};
}

std::vector<double> per_iou(Accumulated& acc, const Params& params, bool precision) {
  std::vector<double> values;
  const int largest = params.max_detections.empty() ? -1 : params.max_detections.back();
  for (double threshold : params.iou_thresholds)
    values.push_back(summarize_one(acc, params, {precision, threshold, "all", largest}, {}));
  return values;
}

}  // namespace

std::vector<double> summarize(Accumulated& accumulated, const Params& params,
                              std::optional<std::size_t> category) {
  const std::vector<Query> queries =
      params.iou_type == IouType::bbox ? box_queries(params) : keypoint_queries();
  std::vector<double> stats;
  for (const Query& query : queries)
    stats.push_back(summarize_one(accumulated, params, query, category));
  return stats;
}

std::vector<double> ap_per_iou(Accumulated& accumulated, const Params& params) {
  return per_iou(accumulated, params, true);
}

std::vector<double> recall_per_iou(Accumulated& accumulated, const Params& params) {
  return per_iou(accumulated, params, false);
}

}  // namespace quarry::detect
