#pragma once
// Pairs two object lists by IoU with an optimal assignment (cost 1 - IoU) and keeps the pairs
// whose IoU reaches the threshold: the one matching rule of object consensus, agreement and
// pre-label accounting. IoU is detect::iou (cocoapi's bbIou).
#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "ingest/objects/drawn_object.hpp"

namespace quarry::ingest::objects {

double box_iou(const std::array<double, 4>& a, const std::array<double, 4>& b);

struct MatchedPair {
  std::size_t a = 0, b = 0;  // indexes into the two lists
  double iou = 0;
};

std::vector<MatchedPair> match_boxes(std::span<const std::array<double, 4>> a,
                                     std::span<const std::array<double, 4>> b, double threshold);
std::vector<MatchedPair> match_objects(std::span<const DrawnObject> a,
                                       std::span<const DrawnObject> b, double threshold);

}  // namespace quarry::ingest::objects
