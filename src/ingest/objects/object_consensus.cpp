#include "ingest/objects/object_consensus.hpp"

#include <algorithm>
#include <cmath>

#include "ingest/objects/clusters.hpp"
#include "ingest/objects/fusion.hpp"

namespace quarry::ingest::objects {

namespace {

struct KeptCluster {
  std::size_t item = 0;
  Cluster members;
};

// Clusters every item, keeps the supported ones (returned) and flags split items.
std::vector<KeptCluster> supported_clusters(const std::vector<ItemAnswers>& items,
                                            const AnnotatorWeights& weight,
                                            const ConsensusOptions& options,
                                            std::vector<ItemConsensus>& out) {
  std::vector<KeptCluster> kept;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto n = static_cast<std::int32_t>(items[i].answers.size());
    out[i].id = items[i].id;
    out[i].answers = n;
    for (auto& cluster : cluster_objects(items[i], weight, options.iou_threshold)) {
      const auto support = static_cast<std::int32_t>(cluster.size());
      // A small tolerance so 0.5 x 4 answers needs 2, not 2.0000000001.
      const bool keep = support >= options.min_support * n - 1e-9;
      out[i].split |= 2 * support == n || (!keep && support >= 2);
      if (keep) kept.push_back({i, std::move(cluster)});
    }
  }
  return kept;
}

Votes class_votes(const std::vector<ItemAnswers>& items, const std::vector<KeptCluster>& kept,
                  const ConsensusOptions& options) {
  Votes votes;
  votes.classes = options.classes;
  votes.items = static_cast<std::int32_t>(kept.size());
  votes.annotators = options.annotators;
  for (std::size_t c = 0; c < kept.size(); ++c)
    for (const auto& m : kept[c].members) {
      const auto& answer = items[kept[c].item].answers[m.answer];
      votes.votes.push_back(
          {static_cast<std::int32_t>(c), answer.annotator, answer.objects[m.object].label});
    }
  return votes;
}

double answer_weight(const ItemAnswers& item, const AnnotatorWeights& weight) {
  double total = 0;
  for (const auto& answer : item.answers)
    total += weight.reliability[static_cast<std::size_t>(answer.annotator)];
  return total;
}

ObjectConsensus one_pass(const std::vector<ItemAnswers>& items, const AnnotatorWeights& weight,
                         const ConsensusOptions& options) {
  ObjectConsensus result;
  result.items.resize(items.size());
  result.weights = weight;
  const auto kept = supported_clusters(items, weight, options, result.items);
  if (kept.empty()) return result;
  const auto classes = dawid_skene(class_votes(items, kept, options), options.dawid_skene);
  result.iterations = classes.iterations;
  result.converged = classes.converged;
  for (std::size_t c = 0; c < kept.size(); ++c) {
    const auto& item = items[kept[c].item];
    const auto members = cluster_members(item, kept[c].members, weight.box);
    ConsensusObject object;
    object.box = fuse_box(members);
    object.keypoints = fuse_keypoints(cluster_members(item, kept[c].members, weight.keypoint),
                                      options.keypoint_count);
    object.label = classes.consensus.label[c];
    object.class_posterior = classes.consensus.confidence[c];
    object.support = static_cast<std::int32_t>(members.size());
    double drew = 0;
    for (const auto& m : kept[c].members)
      drew += weight.reliability[static_cast<std::size_t>(item.answers[m.answer].annotator)];
    object.confidence = std::min(1.0, drew / answer_weight(item, weight)) * object.class_posterior;
    result.items[kept[c].item].objects.push_back(std::move(object));
  }
  for (auto& item : result.items) {
    item.adjudicate = item.split;
    for (const auto& object : item.objects)
      item.adjudicate |= object.confidence < options.min_confidence;
  }
  return result;
}

}  // namespace

std::vector<DrawnObject> drawn(const ItemConsensus& item) {
  return {item.objects.begin(), item.objects.end()};
}

ObjectConsensus object_consensus(const std::vector<ItemAnswers>& items,
                                 const ConsensusOptions& options) {
  // Answers in annotator order, so the result does not depend on the order files were read in.
  std::vector<ItemAnswers> sorted = items;
  for (auto& item : sorted)
    std::stable_sort(item.answers.begin(), item.answers.end(),
                     [](const Answer& a, const Answer& b) { return a.annotator < b.annotator; });
  auto result = one_pass(sorted, equal_weights(options.annotators), options);
  for (int pass = 1; pass < options.passes; ++pass) {
    std::vector<std::vector<DrawnObject>> objects;
    for (const auto& item : result.items) objects.push_back(drawn(item));
    result = one_pass(sorted,
                      estimate_weights(sorted, objects, options.annotators, options.iou_threshold),
                      options);
  }
  return result;
}

}  // namespace quarry::ingest::objects
