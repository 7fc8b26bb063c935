#pragma once
// CenterNet training targets at the model's output stride (Zhou et al. 2019, "Objects as
// Points"): a Gaussian per object on its class's centre heatmap, the box size and the sub-pixel
// centre offset at the centre cell, and for keypoint pools a Gaussian per visible keypoint on its
// keypoint heatmap with the keypoint's offset. Torch-free: the losses (detection_loss) read these
// flat arrays as tensors.
#include <cstdint>
#include <vector>

namespace quarry::train {

// One item's objects in pixels of the (augmented) input image.
struct ItemObjects {
  std::vector<float> boxes;  // 4 per object: x0, y0, x1, y1
  std::vector<std::int32_t> labels;
  std::vector<float> keypoints;     // K * 3 per object (x, y, v; v > 0 visible), empty without
  std::vector<std::uint8_t> crowd;  // 1: a crowd region, no positive of its own
  std::vector<float> weights;       // per-object loss weight (the ledger's confidence; 1 default)

  std::size_t size() const { return labels.size(); }
};

struct TargetShape {
  int classes = 0, keypoints = 0;  // K = 0 for detect pools
  int height = 0, width = 0;       // input pixels
  int stride = 4;

  int out_height() const { return height / stride; }
  int out_width() const { return width / stride; }
  std::size_t cells() const { return std::size_t(out_height()) * std::size_t(out_width()); }
};

// A batch's targets, item after item. Cells are flat indices into the heads' maps as
// [B * maps, h, w] (see the members), so the loss gathers predictions with one index_select.
struct DetectionTargets {
  TargetShape shape;
  std::int64_t items = 0;
  // [B, C, h, w]: Gaussian peaks max-merged (1 exactly at each object's centre cell).
  std::vector<float> center;
  // [B, C, h, w]: weight of each cell's focal term: 1, the object's weight at its centre cell,
  // 0 inside a crowd region that no other object's Gaussian reaches (neither positive nor
  // negative there, as COCO evaluation ignores detections matched to crowd regions).
  std::vector<float> center_weight;
  // One entry per trained object: cell b * h * w + y * w + x, size (w, h) in input pixels,
  // offset (dx, dy) of the exact centre from the cell's corner, in cells, and the weight.
  std::vector<std::int64_t> box_cell;
  std::vector<float> box_size, box_offset, box_weight;
  // Keypoint pools: [B, K, h, w] heatmaps and focal weights as for centres, and one entry per
  // visible keypoint: cell (b * K + k) * h * w + y * w + x, offset (dx, dy) in cells, weight.
  std::vector<float> keypoint_heat, keypoint_weight;
  std::vector<std::int64_t> keypoint_cell;
  std::vector<float> keypoint_offset, keypoint_offset_weight;
  // What the losses are normalised by: the objects and visible keypoints of the global batch as
  // stored (before augmentation), which every rank knows without communicating, so the losses of
  // P ranks add up to the loss of one rank with the whole batch.
  double objects = 0, visible_keypoints = 0;

  explicit DetectionTargets(const TargetShape& shape, std::int64_t items);
};

// CenterNet's gaussian_radius (its code, min_overlap 0.7) for a box of `height` x `width` cells.
double gaussian_radius(double height, double width, double min_overlap = 0.7);

// Draws CenterNet's Gaussian of `radius` (sigma = (2r + 1) / 6) centred on cell (cx, cy) of a
// `height` x `width` map, keeping the maximum where it overlaps what is there.
void draw_gaussian(float* map, int height, int width, int cx, int cy, int radius);

// Adds item `b`'s objects to the targets. Objects of zero size and keypoints outside the
// map are skipped; crowd objects become ignore regions of their class (see center_weight).
void add_item_targets(DetectionTargets& targets, std::int64_t b, const ItemObjects& objects);

}  // namespace quarry::train
