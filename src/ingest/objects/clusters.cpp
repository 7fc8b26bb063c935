#include "ingest/objects/clusters.hpp"

#include <algorithm>
#include <numeric>

#include "ingest/objects/fusion.hpp"
#include "ingest/objects/iou_match.hpp"

namespace quarry::ingest::objects {

std::vector<Weighted> cluster_members(const ItemAnswers& item, const Cluster& cluster,
                                      std::span<const double> weight) {
  std::vector<Weighted> members;
  for (const auto& m : cluster) {
    const auto& answer = item.answers[m.answer];
    const auto& object = answer.objects[m.object];
    members.push_back(
        {&object, weight[static_cast<std::size_t>(answer.annotator)] * object.confidence});
  }
  return members;
}

namespace {

// Answers by decreasing reliability, ties in answer order.
std::vector<std::size_t> reliability_order(const ItemAnswers& item,
                                           std::span<const double> weight) {
  std::vector<std::size_t> order(item.answers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return weight[static_cast<std::size_t>(item.answers[a].annotator)] >
           weight[static_cast<std::size_t>(item.answers[b].annotator)];
  });
  return order;
}

}  // namespace

std::vector<Cluster> cluster_objects(const ItemAnswers& item, const AnnotatorWeights& weights,
                                     double iou_threshold) {
  std::vector<Cluster> clusters;
  for (const std::size_t a : reliability_order(item, weights.reliability)) {
    std::vector<std::array<double, 4>> fused;
    for (const auto& cluster : clusters)
      fused.push_back(fuse_box(cluster_members(item, cluster, weights.box)));
    std::vector<std::array<double, 4>> drawn;
    for (const auto& object : item.answers[a].objects) drawn.push_back(object.box);
    std::vector<bool> placed(drawn.size(), false);
    for (const auto& pair : match_boxes(drawn, fused, iou_threshold)) {
      clusters[pair.b].push_back({a, pair.a});
      placed[pair.a] = true;
    }
    for (std::size_t o = 0; o < drawn.size(); ++o)
      if (!placed[o]) clusters.push_back({{a, o}});
  }
  return clusters;
}

}  // namespace quarry::ingest::objects
