#include <gtest/gtest.h>
#include <torch/script.h>

#include "model/builtin.hpp"
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

TEST_F(ModelTest, UnknownArchIsAUsageError) {
  EXPECT_THROW(spec_for_pool(dir / "pool.h5", "resnet", 0), UsageError);
}

}  // namespace
}  // namespace quarry::model
