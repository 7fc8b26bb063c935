#pragma once
// Synthetic heads for `pool synth --task keypoints`: an ellipse face seen at a yaw (turn about
// the vertical axis), with hair, eyes, nose, mouth and ears, and its ground truth: the box and
// five keypoints (left_eye, right_eye, nose, left_ear, right_ear; left is the head's own left,
// on the image's right when it faces the camera, as in COCO). Turning hides the far side: the far
// ear beyond kEarHiddenYaw, the far eye beyond kEyeHiddenYaw. Hidden keypoints are not labelled
// (visibility 0, x = y = 0), as an annotator who cannot see a keypoint leaves it out; the
// visible ones have visibility 2.
#include <array>
#include <string>
#include <vector>

#include "pool/synth_canvas.hpp"

namespace quarry::pool {

inline constexpr float kEarHiddenYaw = 0.35f;  // radians, about 20 degrees
inline constexpr float kEyeHiddenYaw = 0.96f;  // about 55 degrees
inline constexpr float kMaxYaw = 1.3f;         // heads turn up to about 75 degrees either way
// An ear is at most this fraction of the face's half width wide on each side of its keypoint,
// so a frontal head's box reaches (1 + kEarReach) half widths from its centre.
inline constexpr float kEarReach = 0.18f;

const std::vector<std::string>& head_keypoint_names();
const std::vector<std::array<std::int32_t, 2>>& head_flip_pairs();
const std::vector<std::array<std::int32_t, 2>>& head_skeleton();

struct Head {
  float cx = 0, cy = 0;  // centre of the face ellipse
  float a = 1, b = 1;    // half width and half height of the face
  float yaw = 0;         // > 0 turns the head's left side away
};

struct HeadTruth {
  std::array<float, 4> box{};         // x0, y0, x1, y1: face and visible ears
  std::array<float, 15> keypoints{};  // 5 x (x, y, visibility)
};

HeadTruth head_truth(const Head& head);
void draw_head(Canvas& canvas, const Head& head, Stream& rng);

}  // namespace quarry::pool
