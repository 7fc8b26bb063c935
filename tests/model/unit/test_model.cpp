#include <gtest/gtest.h>
#include <torch/script.h>

#include <fstream>

#include "model/builtin.hpp"
#include "model/loaded_model.hpp"
#include "pool/synth.hpp"
#include "support/temp_dir.hpp"

namespace quarry::model {
namespace {

std::pair<torch::Tensor, torch::Tensor> run(torch::jit::Module& m, const torch::Tensor& x) {
  auto out = m.forward({x}).toTuple();
  return {out->elements()[0].toTensor(), out->elements()[1].toTensor()};
}

class ModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool::write_synth_pool({300, {pool::Kind::images, {1, 28, 28}}, 5, 1, 0}, dir / "pool.h5",
                           Overwrite::refuse);
  }
  testing::TempDir dir;
};

TEST_F(ModelTest, SmallCnnFollowsTheContract) {
  ModelSpec spec = spec_for_pool(dir / "pool.h5", "small-cnn", 3);
  EXPECT_EQ(spec.classes, 5);
  EXPECT_GT(spec.std, 0.0);
  write_builtin_model(spec, dir / "m.pt", Overwrite::refuse);
  auto m = torch::jit::load((dir / "m.pt").string());
  auto x = torch::randint(0, 256, {4, 1, 28, 28}).to(torch::kFloat32);
  auto [logits, embedding] = run(m, x);
  EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(embedding.sizes(), (std::vector<std::int64_t>{4, 128}));
  EXPECT_NEAR(m.attr("input_scale").toDouble(), 1.0 / 255.0, 1e-12);
  EXPECT_EQ(m.attr("num_classes").toInt(), 5);

  // eval(): deterministic; train(): dropout makes passes differ (what MC dropout relies on).
  m.eval();
  EXPECT_TRUE(torch::equal(run(m, x).first, run(m, x).first));
  m.train();
  EXPECT_FALSE(torch::equal(run(m, x).first, run(m, x).first));
}

TEST_F(ModelTest, SameSeedSameWeightsOtherSeedOthers) {
  ModelSpec spec = spec_for_pool(dir / "pool.h5", "small-cnn", 3);
  write_builtin_model(spec, dir / "a.pt", Overwrite::refuse);
  write_builtin_model(spec, dir / "b.pt", Overwrite::refuse);
  spec.seed = 4;
  write_builtin_model(spec, dir / "c.pt", Overwrite::refuse);
  auto a = torch::jit::load((dir / "a.pt").string()), b = torch::jit::load((dir / "b.pt").string()),
       c = torch::jit::load((dir / "c.pt").string());
  auto wa = a.attr("conv1_weight").toTensor();
  EXPECT_TRUE(torch::equal(wa, b.attr("conv1_weight").toTensor()));
  EXPECT_FALSE(torch::equal(wa, c.attr("conv1_weight").toTensor()));
}

TEST_F(ModelTest, MlpOnFlattenedInputs) {
  ModelSpec spec = spec_for_pool(dir / "pool.h5", "mlp", 0);
  write_builtin_model(spec, dir / "m.pt", Overwrite::refuse);
  auto m = torch::jit::load((dir / "m.pt").string());
  auto [logits, embedding] = run(m, torch::zeros({2, 1, 28, 28}));
  EXPECT_EQ(logits.sizes(), (std::vector<std::int64_t>{2, 5}));
  EXPECT_EQ(embedding.size(1), 128);
}

// A user model defined in TorchScript source, saved like any scripted module.
std::filesystem::path user_model(const testing::TempDir& dir, const std::string& name,
                                 const std::string& body) {
  torch::jit::Module m("UserModel");
  m.register_parameter("w", torch::ones({5, 784}) * 0.001, false);
  m.define("def forward(self, x):\n    h = torch.flatten(x, 1)\n" + body);
  auto path = dir / name;
  m.save(path.string());
  return path;
}

TEST_F(ModelTest, LoadsEveryOutputFormOfTheContract) {
  ModelSpec spec = spec_for_pool(dir / "pool.h5", "small-cnn", 0);
  write_builtin_model(spec, dir / "builtin.pt", Overwrite::refuse);
  auto builtin = LoadedModel::load(dir / "builtin.pt", {1, 28, 28}, 5);
  EXPECT_TRUE(builtin.normalises_itself());
  EXPECT_EQ(builtin.embedding_size(), 128);

  auto plain = LoadedModel::load(
      user_model(dir, "plain.pt", "    return torch.linear(h, self.w)\n"), {1, 28, 28}, 5);
  EXPECT_FALSE(plain.normalises_itself());
  EXPECT_EQ(plain.embedding_size(), 0);

  auto dict = LoadedModel::load(
      user_model(dir, "dict.pt",
                 "    return {'logits': torch.linear(h, self.w), 'embedding': h[:, :16]}\n"),
      {1, 28, 28}, 5);
  EXPECT_EQ(dict.embedding_size(), 16);
  // Config normalisation is applied for a model without its own: 255 * (1/255) = 1 per pixel.
  auto out = dict.forward(torch::full({1, 1, 28, 28}, 255.0));
  EXPECT_NEAR(out.logits[0][0].item<float>(), 0.784f, 1e-4);
}

TEST_F(ModelTest, ContractViolationsAreInputErrors) {
  auto expect_input_error = [&](const std::filesystem::path& path, std::int64_t classes,
                                const std::string& text) {
    try {
      LoadedModel::load(path, {1, 28, 28}, classes);
      FAIL() << "no error for " << path;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  expect_input_error(user_model(dir, "list.pt", "    return [h]\n"), 5, "forward output: is a");
  expect_input_error(user_model(dir, "3d.pt", "    return h.unsqueeze(0)\n"), 5,
                     "is a tensor of shape [1,2,784]");
  expect_input_error(user_model(dir, "classes.pt", "    return torch.linear(h, self.w)\n"), 10,
                     "has 5 classes, the pool has 10");
  expect_input_error(user_model(dir, "shape.pt", "    return torch.linear(h[:, :10], self.w)\n"), 5,
                     "fails on an input of shape [2,1,28,28]");
  std::ofstream(dir / "junk.pt") << "not a model";
  expect_input_error(dir / "junk.pt", 5, "is not a TorchScript model");
  expect_input_error(dir / "missing.pt", 5, "no such model file");
}

TEST_F(ModelTest, UnknownArchIsAUsageError) {
  EXPECT_THROW(spec_for_pool(dir / "pool.h5", "resnet", 0), UsageError);
}

}  // namespace
}  // namespace quarry::model
