#pragma once
// tests/data/coco_eval_reference.json (inputs and outputs of cocoapi's COCOeval, see the .md
// beside it) and its blocks turned into the evaluator's inputs by the COCO JSON readers.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detect/coco_eval.hpp"
#include "detect/coco_json.hpp"

namespace quarry::detect::testing {

inline const nlohmann::json& reference() {
  static const nlohmann::json document = [] {
    const std::string path = std::string(QUARRY_TEST_DATA) + "/coco_eval_reference.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("missing " + path);
    return nlohmann::json::parse(in);
  }();
  return document;
}

// A block's inputs: {images, categories, annotations} and its detections.
struct Block {
  IouType iou_type;
  GroundTruth truth;
  std::vector<Detection> detections;
  Params params;
};

inline Block block(const nlohmann::json& b) {
  Block out;
  out.iou_type = parse_iou_type(b.at("iouType").get<std::string>());
  out.truth = coco_truth(b, out.iou_type, "reference");
  out.detections = coco_results(b.at("detections"), out.truth, out.iou_type, "reference");
  std::vector<double> sigmas;
  if (b.contains("sigmas")) sigmas = b.at("sigmas").get<std::vector<double>>();
  out.params = default_params(out.iou_type, sigmas);
  return out;
}

inline std::vector<double> numbers(const nlohmann::json& values) {
  return values.get<std::vector<double>>();
}

// cocoapi's numbers to 1e-12 (the .md's tolerance: the last bits may differ where operations
// run in another order); `what` names the value in a failure.
inline void expect_equal(const std::vector<double>& actual, const std::vector<double>& expected,
                         const std::string& what, double tolerance = 1e-12) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], tolerance) << what << "[" << i << "]";
}

}  // namespace quarry::detect::testing
