#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.hpp"
#include "files/scores/acquisitions.hpp"
#include "score/detection_acquisition.hpp"

namespace quarry::score {
namespace {

const double kLn2 = std::log(2.0);

TEST(DetectionAcquisition, AggregatesWeightByConfidence) {
  // Image 0: two kept detections (weights 0.8 and 0.2) with uncertainties 0.5 and 1.0, and an
  // empty slot whose uncertainty must not count. Image 1: nothing kept.
  auto u = torch::tensor({0.5f, 1.0f, 0.9f, 0.3f, 0.6f, 0.9f}).view({2, 3});
  auto w = torch::tensor({0.8f, 0.2f, 0.0f, 0.0f, 0.0f, 0.0f}).view({2, 3});
  auto max = aggregate(u, w, Aggregation::max), mean = aggregate(u, w, Aggregation::mean),
       sum = aggregate(u, w, Aggregation::sum);
  EXPECT_NEAR(max[0].item<float>(), 0.4f, 1e-6);   // max(0.8 * 0.5, 0.2 * 1.0)
  EXPECT_NEAR(sum[0].item<float>(), 0.6f, 1e-6);   // 0.4 + 0.2
  EXPECT_NEAR(mean[0].item<float>(), 0.6f, 1e-6);  // 0.6 / (0.8 + 0.2)
  for (const auto& t : {max, mean, sum}) EXPECT_EQ(t[1].item<float>(), 0.0f);
}

TEST(DetectionAcquisition, MarginEntropyAndKeypointsPerDetection) {
  // [B=1, D=2, C=2]: a sure detection and a tie.
  auto probs = torch::tensor({1.0f, 0.0f, 0.5f, 0.5f}).view({1, 2, 2});
  auto margin = detection_margin(probs), entropy = detection_entropy(probs);
  EXPECT_NEAR(margin[0][0].item<float>(), 0.0f, 1e-6);
  EXPECT_NEAR(margin[0][1].item<float>(), 1.0f, 1e-6);
  EXPECT_NEAR(entropy[0][1].item<float>(), kLn2, 1e-6);
  // [B=1, D=1, K=2, 3]: confidences 0.9 and 0.3 -> mean(0.1, 0.7) = 0.4.
  auto keypoints = torch::tensor({5.0f, 5.0f, 0.9f, 7.0f, 7.0f, 0.3f}).view({1, 1, 2, 3});
  EXPECT_NEAR(keypoint_uncertainty(keypoints)[0][0].item<float>(), 0.4f, 1e-6);
}

TEST(DetectionAcquisition, HeatmapEntropyAndBald) {
  auto sure = torch::zeros({1, 2, 4, 4}), unsure = torch::full({1, 2, 4, 4}, 0.5);
  EXPECT_NEAR(heatmap_entropy(torch::cat({sure, unsure}))[0].item<float>(), 0.0, 1e-5);
  EXPECT_NEAR(heatmap_entropy(torch::cat({sure, unsure}))[1].item<float>(), kLn2, 1e-6);
  // Passes that agree carry no information about the weights; passes split between 0 and 1 the
  // most (their mean is 0.5, each pass is sure).
  auto agree = torch::full({3, 1, 2, 2}, 0.3);
  auto split = torch::stack({torch::zeros({1, 2, 2}), torch::ones({1, 2, 2})});
  EXPECT_NEAR(heatmap_bald(agree)[0].item<float>(), 0.0, 1e-6);
  EXPECT_NEAR(heatmap_bald(split)[0].item<float>(), kLn2, 1e-4);
}

TEST(DetectionAcquisition, LocalizationInstabilityMatchesGreedily) {
  // Image 0: the flipped pass finds the same two boxes (in the other slot order): stable.
  // Image 1: the first box is found shifted by half its width (IoU 1/3), the second not at all.
  // Image 2: nothing kept: 0.
  auto boxes = torch::tensor({0.f, 0.f, 10.f, 10.f, 20.f, 20.f, 30.f, 40.f,  //
                              0.f, 0.f, 10.f, 10.f, 20.f, 20.f, 30.f, 40.f,  //
                              0.f, 0.f, 10.f, 10.f, 20.f, 20.f, 30.f, 40.f})
                   .view({3, 2, 4});
  auto flipped = torch::tensor({20.f, 20.f, 30.f, 40.f, 0.f,  0.f,  10.f, 10.f,  //
                                5.f,  0.f,  15.f, 10.f, 50.f, 50.f, 60.f, 60.f,  //
                                0.f,  0.f,  10.f, 10.f, 20.f, 20.f, 30.f, 40.f})
                     .view({3, 2, 4});
  auto weights = torch::tensor({0.9f, 0.5f, 0.5f, 0.5f, 0.0f, 0.0f}).view({3, 2});
  auto flipped_weights = torch::tensor({0.4f, 0.9f, 0.5f, 0.5f, 0.7f, 0.0f}).view({3, 2});
  auto result = localization_instability(boxes, weights, flipped, flipped_weights);
  EXPECT_NEAR(result[0].item<float>(), 0.0, 1e-6);
  EXPECT_NEAR(result[1].item<float>(), 1 - (1.0 / 3.0) / 2, 1e-6);
  EXPECT_EQ(result[2].item<float>(), 0.0f);
}

TEST(DetectionAcquisition, KeptSlotsMostConfidentFirstTiesInSlotOrder) {
  const float weights[] = {0.2f, 0.0f, 0.7f, 0.2f};
  EXPECT_EQ(kept_in_order(weights, 4), (std::vector<std::int64_t>{2, 0, 3}));
}

TEST(DetectionAcquisition, DefaultsAndApplicabilityFollowThePoolsTask) {
  const auto detect = default_acquisitions("detect", false);
  EXPECT_EQ(detect, (std::vector<std::string>{"det_margin_max", "det_margin_mean", "det_margin_sum",
                                              "det_entropy_max", "det_entropy_mean",
                                              "det_entropy_sum", "det_heatmap_entropy"}));
  const auto keypoints = default_acquisitions("keypoints", true);
  EXPECT_NE(std::find(keypoints.begin(), keypoints.end(), "det_keypoint_mean"), keypoints.end());
  EXPECT_NE(std::find(keypoints.begin(), keypoints.end(), "det_heatmap_bald"), keypoints.end());
  EXPECT_EQ(std::find(keypoints.begin(), keypoints.end(), "det_localization"), keypoints.end());
  EXPECT_EQ(default_acquisitions("classify", false),
            (std::vector<std::string>{"margin", "entropy", "least_confidence"}));
  EXPECT_THROW(check_acquisition_applies("margin", "detect"), UsageError);
  EXPECT_THROW(check_acquisition_applies("det_keypoint_max", "detect"), UsageError);
  EXPECT_THROW(check_acquisition_applies("det_margin_max", "classify"), UsageError);
  EXPECT_NO_THROW(check_acquisition_applies("det_localization", "keypoints"));
}

}  // namespace
}  // namespace quarry::score
