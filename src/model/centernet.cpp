// centernet-small: a heatmap detector in the style of CenterNet (Zhou et al. 2019, "Objects as
// Points"), small enough to train and score on a few CPU cores, built as TorchScript source plus
// registered parameters like the other built-in architectures (no Python needed).
//
// Backbone: two stride-2 3x3 convolutions take the image to stride 4, then one plain and two
// dilated 3x3 convolutions (dilation 2 and 4) widen the receptive field to about 63 input pixels
// without losing resolution. Heads at stride 4, each a 3x3 hidden convolution then 1x1 outputs:
// the centre heatmap per class, box size and sub-pixel offset, and for keypoint pools one
// heatmap per keypoint plus its offset. Dropout sits between backbone and heads, so MC-dropout
// passes vary every head.
//
// Methods (docs/model.md): heads(x) gives the raw training outputs, decode(heads) turns them into
// the contract's fixed slots, forward(x) = decode(heads(x)) plus the pooled embedding.
#include <fmt/format.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.hpp"
#include "model/script_parts.hpp"

namespace quarry::model {

namespace {

constexpr std::int64_t kStride = 4;
constexpr std::int64_t kWidth = 64;   // backbone channels, and so the embedding size
constexpr std::int64_t kHidden = 32;  // each head's hidden channels
// CenterNet's prior: sigmoid(-2.19) = 0.1, so an untrained heatmap is not swamped by the
// background's focal loss.
constexpr double kCenterPriorBias = -2.19;

const char* kFeatures = R"(
def features(self, x):
    h = self.normalise(x)
    h = torch.relu(torch.conv2d(h, self.conv1_weight, self.conv1_bias, 2, 1))
    h = torch.relu(torch.conv2d(h, self.conv2_weight, self.conv2_bias, 2, 1))
    h = torch.relu(torch.conv2d(h, self.conv3_weight, self.conv3_bias, 1, 1))
    h = torch.relu(torch.conv2d(h, self.conv4_weight, self.conv4_bias, 1, 2, 2))
    h = torch.relu(torch.conv2d(h, self.conv5_weight, self.conv5_bias, 1, 4, 4))
    return h
)";

// head_outputs(features) -> raw heads; the keypoint lines are spliced in for keypoint pools.
const char* kHeadsBegin = R"(
def head_outputs(self, f):
    f = torch.dropout(f, self.dropout_p, self.training)
    c = torch.relu(torch.conv2d(f, self.center_hidden_weight, self.center_hidden_bias, 1, 1))
    r = torch.relu(torch.conv2d(f, self.box_hidden_weight, self.box_hidden_bias, 1, 1))
    out: Dict[str, Tensor] = {}
    out["center"] = torch.conv2d(c, self.center_weight, self.center_bias)
    out["size"] = torch.conv2d(r, self.size_weight, self.size_bias)
    out["offset"] = torch.conv2d(r, self.offset_weight, self.offset_bias)
)";
const char* kHeadsKeypoints = R"(
    k = torch.relu(torch.conv2d(f, self.keypoint_hidden_weight, self.keypoint_hidden_bias, 1, 1))
    out["keypoint_heatmap"] = torch.conv2d(k, self.keypoint_heatmap_weight,
                                           self.keypoint_heatmap_bias)
    out["keypoint_offset"] = torch.conv2d(k, self.keypoint_offset_weight, self.keypoint_offset_bias)
)";
const char* kHeadsEnd = R"(
    return out
)";

// decode(heads) -> slots. A detection is a 3x3 local maximum of a class's centre heatmap; the D
// highest over classes and cells fill the slots (score 0 where fewer peaks exist). Its centre in
// input pixels is (cell + offset) * stride, its box that centre +- size / 2, clipped to the
// image. probs are the class heatmaps at the detection's cell, normalised to sum 1.
const char* kDecodeBegin = R"(
def decode(self, heads: Dict[str, Tensor]) -> Dict[str, Tensor]:
    center = torch.sigmoid(heads["center"])
    b, c, h, w = center.size(0), center.size(1), center.size(2), center.size(3)
    cells = h * w
    stride = float(self.output_stride)
    peaks = torch.max_pool2d(center, 3, 1, 1)
    peak_only = torch.where(peaks == center, center, torch.zeros_like(center))
    d = min(self.max_detections, c * cells)
    scores, index = torch.topk(peak_only.reshape(b, c * cells), d, 1)
    labels = torch.div(index, cells, rounding_mode="floor")
    cell = index - labels * cells
    ys = torch.div(cell, w, rounding_mode="floor")
    xs = cell - ys * w
    pick = cell.unsqueeze(1).expand(b, 2, d)
    size = heads["size"].reshape(b, 2, cells).gather(2, pick).clamp_min(0.0) * 0.5
    offset = heads["offset"].reshape(b, 2, cells).gather(2, pick)
    cx = (xs.float() + offset[:, 0]) * stride
    cy = (ys.float() + offset[:, 1]) * stride
    boxes = torch.stack([cx - size[:, 0], cy - size[:, 1], cx + size[:, 0], cy + size[:, 1]], 2)
    limits = torch.tensor([w * stride, h * stride, w * stride, h * stride], device=boxes.device)
    boxes = torch.min(boxes.clamp_min(0.0), limits)
    at_cell = center.reshape(b, c, cells).gather(2, cell.unsqueeze(1).expand(b, c, d))
    probs = at_cell.transpose(1, 2)
    probs = probs / probs.sum(2, keepdim=True).clamp_min(1e-12)
    out: Dict[str, Tensor] = {}
    out["boxes"] = boxes
    out["scores"] = scores
    out["labels"] = labels
    out["probs"] = probs
    out["heatmaps"] = center
)";
// Keypoint k of a detection: the peak of heatmap k over the cells whose centres lie inside the
// detection's box (its own centre cell always counts), refined by that cell's offset k
// (channels 2k, 2k+1 of keypoint_offset); confidence = the peak's value.
const char* kDecodeKeypoints = R"(
    heat = torch.sigmoid(heads["keypoint_heatmap"])
    k = heat.size(1)
    grid = torch.arange(cells, device=boxes.device)
    grid_y = torch.div(grid, w, rounding_mode="floor")
    grid_x = grid - grid_y * w
    px = ((grid_x.float() + 0.5) * stride).view(1, 1, cells)
    py = ((grid_y.float() + 0.5) * stride).view(1, 1, cells)
    inside = ((px >= boxes[:, :, 0:1]) & (px <= boxes[:, :, 2:3]) &
              (py >= boxes[:, :, 1:2]) & (py <= boxes[:, :, 3:4]))
    inside = inside | (grid.view(1, 1, cells) == cell.unsqueeze(2))
    masked = torch.where(inside.unsqueeze(2), heat.reshape(b, 1, k, cells),
                         torch.full([1], -1.0, device=boxes.device))
    confidence, where = masked.max(3)
    koff = heads["keypoint_offset"].reshape(b, 1, k, 2, cells).expand(b, d, k, 2, cells)
    koff = koff.gather(4, where.view(b, d, k, 1, 1).expand(b, d, k, 2, 1)).squeeze(4)
    wy = torch.div(where, w, rounding_mode="floor")
    wx = where - wy * w
    kx = (wx.float() + koff[:, :, :, 0]) * stride
    ky = (wy.float() + koff[:, :, :, 1]) * stride
    out["keypoints"] = torch.stack([kx, ky, confidence], 3)
)";
const char* kDecodeEnd = R"(
    return out
)";

const char* kEntryPoints = R"(
def heads(self, x):
    return self.head_outputs(self.features(x))

def forward(self, x):
    f = self.features(x)
    out = self.decode(self.head_outputs(f))
    out["embedding"] = f.mean([2, 3])
    return out
)";

void fill_bias(torch::jit::Module& m, const std::string& name, std::vector<double> values) {
  auto bias = m.attr(name + "_bias").toTensor();
  for (std::size_t i = 0; i < values.size(); ++i)
    bias[static_cast<std::int64_t>(i)].fill_(values[i]);
}

void add_parameters(torch::jit::Module& m, const ModelSpec& spec) {
  add_conv(m, "conv1", spec.input_shape[0], 32);
  add_conv(m, "conv2", 32, kWidth);
  for (const char* name : {"conv3", "conv4", "conv5"}) add_conv(m, name, kWidth, kWidth);
  add_conv(m, "center_hidden", kWidth, kHidden);
  add_conv(m, "box_hidden", kWidth, kHidden);
  add_conv(m, "center", kHidden, spec.classes, 1);
  m.attr("center_bias").toTensor().fill_(kCenterPriorBias);
  add_conv(m, "size", kHidden, 2, 1);
  // A typical object's size and the cell's middle: early size/offset losses start moderate.
  const double side = double(std::min(spec.input_shape[1], spec.input_shape[2])) / 4;
  fill_bias(m, "size", {side, side});
  add_conv(m, "offset", kHidden, 2, 1);
  fill_bias(m, "offset", {0.5, 0.5});
  if (spec.keypoints == 0) return;
  add_conv(m, "keypoint_hidden", kWidth, kHidden);
  add_conv(m, "keypoint_heatmap", kHidden, spec.keypoints, 1);
  m.attr("keypoint_heatmap_bias").toTensor().fill_(kCenterPriorBias);
  add_conv(m, "keypoint_offset", kHidden, 2 * spec.keypoints, 1);
  m.attr("keypoint_offset_bias").toTensor().fill_(0.5);
}

void check_spec(const ModelSpec& spec) {
  const auto& in = spec.input_shape;
  if (in.size() != 3) throw UsageError("centernet-small needs image inputs CxHxW");
  if (in[1] % kStride != 0 || in[2] % kStride != 0 || in[1] < 4 * kStride || in[2] < 4 * kStride)
    throw UsageError(fmt::format(
        "centernet-small needs images whose height and width are multiples of {} and at least "
        "{} pixels; the pool's are {}x{}",
        kStride, 4 * kStride, in[1], in[2]));
  if (spec.task != "detect" && spec.task != "keypoints")
    throw UsageError(
        "centernet-small needs a pool with objects (task detect or keypoints); "
        "this pool's task is '" +
        spec.task + "': use --arch small-cnn");
  if (spec.classes < 1) throw UsageError("centernet-small needs at least one class");
  if ((spec.task == "keypoints") != (spec.keypoints > 0))
    throw UsageError(fmt::format("a '{}' pool with {} keypoint names", spec.task, spec.keypoints));
  if (spec.max_detections < 1) throw UsageError("--max-detections must be at least 1");
}

}  // namespace

torch::jit::Module build_centernet(const ModelSpec& spec) {
  check_spec(spec);
  torch::jit::Module m("QuarryCenterNet");
  add_parameters(m, spec);
  add_common_attributes(m, spec);
  m.register_attribute("quarry_task", c10::StringType::get(), spec.task);
  m.register_attribute("output_stride", c10::IntType::get(), kStride);
  m.register_attribute("num_keypoints", c10::IntType::get(), spec.keypoints);
  m.register_attribute("max_detections", c10::IntType::get(), spec.max_detections);
  const bool keypoints = spec.keypoints > 0;
  m.define(kNormaliseSource);
  m.define(kFeatures);
  m.define(std::string(kHeadsBegin) + (keypoints ? kHeadsKeypoints : "") + kHeadsEnd);
  m.define(std::string(kDecodeBegin) + (keypoints ? kDecodeKeypoints : "") + kDecodeEnd);
  m.define(kEntryPoints);
  m.eval();
  return m;
}

}  // namespace quarry::model
