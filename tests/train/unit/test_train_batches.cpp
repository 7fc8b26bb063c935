#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "train/batches.hpp"

namespace quarry::train {
namespace {

LabeledSet tiny_images(std::size_t n) {
  LabeledSet set;
  set.item_shape = {1, 4, 4};
  for (std::size_t i = 0; i < n; ++i) {
    set.ids.push_back(1000 + 7 * i);
    set.labels.push_back(static_cast<std::int32_t>(i % 3));
    set.confidence.push_back(1.0f);
    for (int p = 0; p < 16; ++p) set.pixels.push_back(static_cast<std::uint8_t>(10 * i + p));
  }
  return set;
}

TEST(TrainBatches, EpochOrderIsAPermutationKeyedBySeedAndEpoch) {
  const auto set = tiny_images(50);
  const auto a = epoch_order(set.ids, 1, 0);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> all(50);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(sorted, all);
  EXPECT_EQ(epoch_order(set.ids, 1, 0), a);  // the same on every rank and every run
  EXPECT_NE(epoch_order(set.ids, 1, 1), a);  // reshuffled each epoch
  EXPECT_NE(epoch_order(set.ids, 2, 0), a);
}

TEST(TrainBatches, WithoutAugmentationItemsAreScaledAndShifted) {
  const auto set = tiny_images(3);
  std::vector<float> out(2 * 16);
  const std::vector<std::size_t> items = {2, 0};
  fill_batch(set, items, {}, 0, 0, 0.5f, 1.0f, out.data());
  for (int p = 0; p < 16; ++p) {
    EXPECT_FLOAT_EQ(out[p], (20 + p) * 0.5f + 1.0f);
    EXPECT_FLOAT_EQ(out[16 + p], p * 0.5f + 1.0f);
  }
}

TEST(TrainBatches, RandomCropShiftsTheWholeImageWithZeroPadding) {
  const auto set = tiny_images(40);
  std::vector<std::size_t> items(40);
  std::iota(items.begin(), items.end(), 0);
  std::vector<float> out(40 * 16);
  fill_batch(set, items, {true, 1, false}, 9, 3, 1.0f, 0.0f, out.data());
  int shifted = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const float* img = out.data() + i * 16;
    const std::uint8_t* src = set.pixels.data() + i * 16;
    // Find the shift that explains the output: every pixel is a source pixel or padding.
    bool explained = false;
    for (int dy = -1; dy <= 1 && !explained; ++dy)
      for (int dx = -1; dx <= 1 && !explained; ++dx) {
        bool all = true;
        for (int y = 0; y < 4; ++y)
          for (int x = 0; x < 4; ++x) {
            const int sy = y + dy, sx = x + dx;
            const float want = sy >= 0 && sy < 4 && sx >= 0 && sx < 4 ? src[sy * 4 + sx] : 0.0f;
            all = all && img[y * 4 + x] == want;
          }
        explained = all;
        if (all && (dx != 0 || dy != 0)) ++shifted;
      }
    EXPECT_TRUE(explained) << "item " << i;
  }
  EXPECT_GT(shifted, 20);  // 8 of 9 shifts move the image
  // The same (seed, epoch, id) gives the same crop.
  std::vector<float> again(40 * 16);
  fill_batch(set, items, {true, 1, false}, 9, 3, 1.0f, 0.0f, again.data());
  EXPECT_EQ(out, again);
}

}  // namespace
}  // namespace quarry::train
