#include <gtest/gtest.h>
#include <torch/script.h>

#include "core/error.hpp"
#include "model/builtin.hpp"
#include "model/loaded_model.hpp"
#include "support/temp_dir.hpp"

namespace quarry::model {
namespace {

ModelSpec detector_spec(std::int64_t keypoints) {
  ModelSpec spec;
  spec.arch = "centernet-small";
  spec.input_shape = {1, 32, 48};
  spec.classes = 3;
  spec.task = keypoints > 0 ? "keypoints" : "detect";
  spec.keypoints = keypoints;
  spec.max_detections = 8;
  spec.seed = 5;
  return spec;
}

std::vector<std::int64_t> dims(const torch::Tensor& t) {
  return t.sizes().vec();
}

using Dims = std::vector<std::int64_t>;

torch::jit::Module built(const testing::TempDir& dir, const ModelSpec& spec) {
  write_builtin_model(spec, dir / "centernet.pt", Overwrite::replace);
  return torch::jit::load((dir / "centernet.pt").string());
}

c10::Dict<std::string, torch::Tensor> heads_of(torch::jit::Module& m, const torch::Tensor& x) {
  return c10::impl::toTypedDict<std::string, torch::Tensor>(
      m.get_method("heads")({x}).toGenericDict());
}

TEST(CenterNet, HeadsAndForwardFollowTheSeam) {
  testing::TempDir dir;
  auto m = built(dir, detector_spec(5));
  EXPECT_EQ(m.attr("quarry_arch").toStringRef(), "centernet-small");
  EXPECT_EQ(m.attr("quarry_task").toStringRef(), "keypoints");
  EXPECT_EQ(m.attr("output_stride").toInt(), 4);
  EXPECT_EQ(m.attr("num_classes").toInt(), 3);
  EXPECT_EQ(m.attr("num_keypoints").toInt(), 5);
  EXPECT_EQ(m.attr("max_detections").toInt(), 8);

  auto x = torch::randint(0, 256, {2, 1, 32, 48}).to(torch::kFloat32);
  auto heads = heads_of(m, x);
  EXPECT_EQ(dims(heads.at("center")), (Dims{2, 3, 8, 12}));
  EXPECT_EQ(dims(heads.at("size")), (Dims{2, 2, 8, 12}));
  EXPECT_EQ(dims(heads.at("offset")), (Dims{2, 2, 8, 12}));
  EXPECT_EQ(dims(heads.at("keypoint_heatmap")), (Dims{2, 5, 8, 12}));
  EXPECT_EQ(dims(heads.at("keypoint_offset")), (Dims{2, 10, 8, 12}));
  // The centre prior: sigmoid(bias) = 0.1 before training, whatever the input.
  EXPECT_NEAR(torch::sigmoid(heads.at("center")).mean().item<double>(), 0.1, 0.05);

  auto out = m.forward({x}).toGenericDict();
  EXPECT_EQ(dims(out.at("boxes").toTensor()), (Dims{2, 8, 4}));
  EXPECT_EQ(dims(out.at("scores").toTensor()), (Dims{2, 8}));
  EXPECT_EQ(out.at("labels").toTensor().scalar_type(), torch::kInt64);
  EXPECT_EQ(dims(out.at("probs").toTensor()), (Dims{2, 8, 3}));
  EXPECT_EQ(dims(out.at("keypoints").toTensor()), (Dims{2, 8, 5, 3}));
  EXPECT_EQ(dims(out.at("heatmaps").toTensor()), (Dims{2, 3, 8, 12}));
  EXPECT_EQ(dims(out.at("embedding").toTensor()), (Dims{2, 64}));
  // Scores come sorted from the top-D; boxes stay inside the 48x32 image.
  auto scores = out.at("scores").toTensor();
  EXPECT_TRUE(torch::equal(scores, std::get<0>(scores.sort(1, true))));
  auto boxes = out.at("boxes").toTensor();
  EXPECT_GE(boxes.min().item<float>(), 0.0f);
  EXPECT_LE(boxes.select(2, 2).max().item<float>(), 48.0f);
  EXPECT_LE(boxes.select(2, 3).max().item<float>(), 32.0f);

  // Dropout before the heads: train() makes passes differ (MC dropout), eval() does not.
  auto heatmap = [&] { return m.forward({x}).toGenericDict().at("heatmaps").toTensor(); };
  EXPECT_TRUE(torch::equal(heatmap(), heatmap()));
  m.train();
  EXPECT_FALSE(torch::equal(heatmap(), heatmap()));
}

TEST(CenterNet, DecodesAPlantedPeakIntoABoxAndItsKeypoints) {
  testing::TempDir dir;
  auto m = built(dir, detector_spec(2));
  auto heads = heads_of(m, torch::zeros({1, 1, 32, 48}));
  c10::Dict<std::string, torch::Tensor> planted;
  for (const auto& entry : heads) planted.insert(entry.key(), torch::full_like(entry.value(), -10));
  // One object of class 1 centred in cell (row 3, column 5), offset (0.5, 0.25) cells, 20x10 px.
  planted.at("center")[0][1][3][5] = 5.0;
  planted.at("size")[0][0][3][5] = 20.0;
  planted.at("size")[0][1][3][5] = 10.0;
  planted.at("offset")[0][0][3][5] = 0.5;
  planted.at("offset")[0][1][3][5] = 0.25;
  planted.at("keypoint_offset").fill_(0.25);
  // Keypoint 0 peaks inside the box (cell 3,6) and higher outside it (cell 7,11): inside wins.
  planted.at("keypoint_heatmap")[0][0][3][6] = 2.0;
  planted.at("keypoint_heatmap")[0][0][7][11] = 5.0;
  auto out = m.get_method("decode")({planted}).toGenericDict();

  // Centre ((5 + 0.5) * 4, (3 + 0.25) * 4) = (22, 13), box 22 +- 10, 13 +- 5.
  auto box = out.at("boxes").toTensor()[0][0];
  EXPECT_TRUE(torch::allclose(box, torch::tensor({12.0f, 8.0f, 32.0f, 18.0f})));
  EXPECT_NEAR(out.at("scores").toTensor()[0][0].item<double>(), 1 / (1 + std::exp(-5.0)), 1e-6);
  EXPECT_LT(out.at("scores").toTensor()[0][1].item<double>(), 1e-3);
  EXPECT_EQ(out.at("labels").toTensor()[0][0].item<std::int64_t>(), 1);
  auto probs = out.at("probs").toTensor()[0][0];
  EXPECT_NEAR(probs.sum().item<double>(), 1.0, 1e-6);
  EXPECT_EQ(probs.argmax().item<std::int64_t>(), 1);
  // Keypoint 0 at ((6 + 0.25) * 4, (3 + 0.25) * 4) with the inside peak's confidence.
  auto keypoint = out.at("keypoints").toTensor()[0][0][0];
  EXPECT_TRUE(
      torch::allclose(keypoint, torch::tensor({25.0f, 13.0f, float(1 / (1 + std::exp(-2.0)))})));
}

TEST(CenterNet, DetectPoolsHaveNoKeypointHeads) {
  testing::TempDir dir;
  auto m = built(dir, detector_spec(0));
  auto heads = heads_of(m, torch::zeros({1, 1, 32, 48}));
  EXPECT_FALSE(heads.contains("keypoint_heatmap"));
  EXPECT_FALSE(m.forward({torch::zeros({1, 1, 32, 48})}).toGenericDict().contains("keypoints"));
}

TEST(CenterNet, RefusesShapesItCannotDecode) {
  testing::TempDir dir;
  auto spec = detector_spec(0);
  spec.input_shape = {1, 30, 48};
  EXPECT_THROW(write_builtin_model(spec, dir / "a.pt", Overwrite::refuse), UsageError);
  spec = detector_spec(0);
  spec.task = "classify";
  EXPECT_THROW(write_builtin_model(spec, dir / "b.pt", Overwrite::refuse), UsageError);
}

TEST(CenterNet, LoadsUnderTheDetectionContract) {
  testing::TempDir dir;
  write_builtin_model(detector_spec(5), dir / "m.pt", Overwrite::refuse);
  auto model = LoadedModel::load(dir / "m.pt", ModelContract{{1, 32, 48}, 3, true, 5});
  EXPECT_TRUE(model.detects());
  EXPECT_EQ(model.detection_layout().slots, 8);
  EXPECT_TRUE(model.detection_layout().keypoints && model.detection_layout().probs &&
              model.detection_layout().heatmaps);
  EXPECT_EQ(model.embedding_size(), 64);
  // A pool with another keypoint count is bad input naming what forward returned.
  try {
    LoadedModel::load(dir / "m.pt", ModelContract{{1, 32, 48}, 3, true, 4});
    FAIL() << "no error for 5 keypoints against 4";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("keypoints has shape [2,8,5,3], expected [2,D,4,3]"),
              std::string::npos)
        << e.what();
  }
}

// A user detection model in TorchScript source whose dict breaks the contract in one entry.
std::filesystem::path user_detector(const testing::TempDir& dir, const std::string& name,
                                    const std::string& entries) {
  torch::jit::Module m("UserDetector");
  m.define(
      "def forward(self, x):\n"
      "    b = x.size(0)\n"
      "    out = {'boxes': torch.zeros([b, 10, 4]), 'scores': torch.zeros([b, 10]),\n"
      "           'labels': torch.zeros([b, 10]).long()}\n" +
      entries + "    return out\n");
  auto path = dir / name;
  m.save(path.string());
  return path;
}

TEST(DetectionContract, ViolationsNameWhatForwardReturned) {
  testing::TempDir dir;
  auto expect_input_error = [&](const std::filesystem::path& path, const std::string& text) {
    try {
      LoadedModel::load(path, ModelContract{{1, 28, 28}, 3, true, 0});
      FAIL() << "no error for " << path;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  auto fine =
      LoadedModel::load(user_detector(dir, "fine.pt", ""), ModelContract{{1, 28, 28}, 3, true});
  EXPECT_EQ(fine.detection_layout().slots, 10);
  EXPECT_FALSE(fine.detection_layout().probs);
  expect_input_error(user_detector(dir, "boxes.pt", "    out['boxes'] = torch.zeros([b, 10, 3])\n"),
                     "boxes has shape [2,10,3], expected [2,D,4]");
  expect_input_error(user_detector(dir, "scores.pt", "    out['scores'] = torch.zeros([b, 9])\n"),
                     "scores has shape [2,9], expected [2,D]");
  expect_input_error(user_detector(dir, "labels.pt", "    out['labels'] = torch.zeros([b, 10])\n"),
                     "labels is Float, expected int64");
  expect_input_error(user_detector(dir, "missing.pt", "    out.pop('scores')\n"),
                     "is a dict without 'scores'");
  expect_input_error(user_detector(dir, "probs.pt", "    out['probs'] = torch.zeros([b, 10, 4])\n"),
                     "probs has shape [2,10,4], expected [2,D,3]");
  // A classifier's output given to a detection pool.
  torch::jit::Module classifier("Classifier");
  classifier.define("def forward(self, x):\n    return torch.flatten(x, 1)[:, :3]\n");
  classifier.save((dir / "classifier.pt").string());
  expect_input_error(dir / "classifier.pt", "is a tensor of shape [2,3]; a detection model");
}

}  // namespace
}  // namespace quarry::model
