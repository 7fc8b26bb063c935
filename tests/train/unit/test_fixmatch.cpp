// FixMatch's defining property: a confident weak-view prediction becomes the strong view's
// target and an unconfident one does not; the strong augmentation is a seeded function of its
// key, keeps the image's shape and pixel range, and changes the image.
#include <gtest/gtest.h>

#include <vector>

#include "train/pseudo_labels.hpp"
#include "train/strong_augment.hpp"

namespace quarry::train {
namespace {

TEST(FixMatch, AConfidentWeakPredictionBecomesTheTargetAnUnconfidentOneDoesNot) {
  // Three items, three classes: confident class 2 (0.97), unconfident (0.6 for class 0), and
  // exactly at the threshold for class 1.
  const std::vector<float> probs = {0.01f, 0.02f, 0.97f,  //
                                    0.6f,  0.3f,  0.1f,   //
                                    0.02f, 0.95f, 0.03f};
  const auto labels = pseudo_labels(probs, 3, 0.95);
  EXPECT_EQ(labels.target, (std::vector<std::int64_t>{2, 0, 1}));
  EXPECT_EQ(labels.mask, (std::vector<float>{1.0f, 0.0f, 1.0f}));
  EXPECT_EQ(labels.confident, 2u);
  // A lower threshold takes the second item too; a threshold above every probability none.
  EXPECT_EQ(pseudo_labels(probs, 3, 0.5).confident, 3u);
  EXPECT_EQ(pseudo_labels(probs, 3, 0.99).confident, 0u);
}

TEST(FixMatch, StrongAugmentationIsSeededAndChangesTheImage) {
  const ImageShape shape{1, 28, 28};
  std::vector<std::uint8_t> image(std::size_t(shape.elements()));
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = std::uint8_t((i * 37) % 256);
  std::vector<std::uint8_t> a(image.size()), b(image.size()), c(image.size());
  strong_augment(image.data(), a.data(), shape, false, 12345);
  strong_augment(image.data(), b.data(), shape, false, 12345);
  strong_augment(image.data(), c.data(), shape, false, 999);
  EXPECT_EQ(a, b);  // the same key, the same view (any rank)
  EXPECT_NE(a, image);
  EXPECT_NE(a, c);
  // Every view has a gray cutout square: some pixels are 127 where the image had none.
  int gray = 0;
  for (std::size_t i = 0; i < a.size(); ++i) gray += a[i] == 127 && image[i] != 127;
  EXPECT_GT(gray, 0);
  // Three channels work too.
  const ImageShape rgb{3, 8, 8};
  std::vector<std::uint8_t> color(std::size_t(rgb.elements()), 200), out(color.size());
  strong_augment(color.data(), out.data(), rgb, true, 7);
  EXPECT_EQ(out.size(), color.size());
}

}  // namespace
}  // namespace quarry::train
