#include "pool/synth_heads.hpp"

#include <algorithm>
#include <cmath>

namespace quarry::pool {

namespace {

// Keypoints on the unit head: x towards the head's left, y down, z towards the camera.
struct Point3 {
  float x, y, z;
};
constexpr std::array<Point3, 5> kModel = {{{0.38f, -0.12f, 0.92f},   // left_eye
                                           {-0.38f, -0.12f, 0.92f},  // right_eye
                                           {0.0f, 0.18f, 1.0f},      // nose
                                           {1.0f, 0.05f, 0.0f},      // left_ear
                                           {-1.0f, 0.05f, 0.0f}}};   // right_ear
constexpr float kEarHeight = 0.22f;                                  // of b

struct Projected {
  float x, y, depth;  // image position; depth > 0 faces the camera
};

Projected project(const Head& head, const Point3& p) {
  const float c = std::cos(head.yaw), s = std::sin(head.yaw);
  return {head.cx + head.a * (p.x * c + p.z * s), head.cy + head.b * p.y, -p.x * s + p.z * c};
}

// The far side (the head's left for yaw > 0) loses its ear, then its eye, as the head turns.
bool visible(const Head& head, int keypoint) {
  const bool far = (kModel[keypoint].x > 0) == (head.yaw > 0) && kModel[keypoint].x != 0;
  if (!far) return true;
  const float turn = std::abs(head.yaw);
  return keypoint >= 3 ? turn <= kEarHiddenYaw : turn <= kEyeHiddenYaw;
}

float ear_half_width(const Head& head) {
  return head.a * kEarReach * (0.5f + 0.5f * std::abs(std::sin(head.yaw)));
}

}  // namespace

const std::vector<std::string>& head_keypoint_names() {
  static const std::vector<std::string> names = {"left_eye", "right_eye", "nose", "left_ear",
                                                 "right_ear"};
  return names;
}

const std::vector<std::array<std::int32_t, 2>>& head_flip_pairs() {
  static const std::vector<std::array<std::int32_t, 2>> pairs = {{0, 1}, {3, 4}};
  return pairs;
}

const std::vector<std::array<std::int32_t, 2>>& head_skeleton() {
  static const std::vector<std::array<std::int32_t, 2>> edges = {
      {0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 4}};
  return edges;
}

HeadTruth head_truth(const Head& head) {
  HeadTruth truth;
  truth.box = {head.cx - head.a, head.cy - head.b, head.cx + head.a, head.cy + head.b};
  for (int k = 0; k < 5; ++k) {
    if (!visible(head, k)) continue;  // not labelled: 0, 0, 0
    const Projected p = project(head, kModel[k]);
    truth.keypoints[3 * k] = p.x;
    truth.keypoints[3 * k + 1] = p.y;
    truth.keypoints[3 * k + 2] = 2;
    if (k >= 3) {  // a visible ear may reach past the face
      const float half = ear_half_width(head);
      truth.box[0] = std::min(truth.box[0], p.x - half);
      truth.box[2] = std::max(truth.box[2], p.x + half);
    }
  }
  return truth;
}

void draw_head(Canvas& canvas, const Head& head, Stream& rng) {
  const Color skin = random_color(rng, 0.6f, 0.9f);
  const Color hair = random_color(rng, 0.02f, 0.5f);
  const Color dark = random_color(rng, 0.0f, 0.15f);
  const Color ear = {skin[0] * 0.85f, skin[1] * 0.85f, skin[2] * 0.85f};
  for (int k = 3; k < 5; ++k)
    if (visible(head, k)) {
      const Projected p = project(head, kModel[k]);
      canvas.ellipse(p.x, p.y, ear_half_width(head), head.b * kEarHeight, ear);
    }
  canvas.ellipse(head.cx, head.cy, head.a, head.b, skin);
  // Hair on top, and towards the back of the head as it turns away.
  const float s = std::sin(head.yaw), side = head.yaw > 0 ? 1.0f : -1.0f;
  const float fringe = rng.between(0.35f, 0.6f);
  canvas.paint(head.cx - head.a, head.cy - head.b, head.cx + head.a, head.cy + head.b, hair,
               [&](float x, float y) {
                 const float dx = (x - head.cx) / head.a, dy = (y - head.cy) / head.b;
                 const float inside = (1.0f - std::sqrt(dx * dx + dy * dy)) * head.a + 0.5f;
                 const float top = (-fringe - dy) * 8.0f;
                 const float back = (side * dx - (1.0f - 0.6f * std::abs(s))) * 8.0f;
                 return std::min(inside, std::max(top, back) + 0.5f);
               });
  for (int k = 0; k < 2; ++k)
    if (visible(head, k)) {
      const Projected p = project(head, kModel[k]);
      canvas.ellipse(p.x, p.y, head.a * 0.13f * std::max(0.4f, p.depth), head.b * 0.08f, dark);
    }
  const Projected nose = project(head, kModel[2]);
  canvas.ellipse(nose.x, nose.y, head.a * 0.08f, head.b * 0.1f,
                 {skin[0] * 0.7f, skin[1] * 0.7f, skin[2] * 0.7f});
  const Projected mouth = project(head, {0.0f, 0.5f, 0.87f});
  canvas.ellipse(mouth.x, mouth.y, head.a * 0.25f * std::max(0.4f, mouth.depth), head.b * 0.05f,
                 dark);
}

}  // namespace quarry::pool
